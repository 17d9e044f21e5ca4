namespace DistillML.Serving;

/// <summary>Settings, from the command line (<c>--model PATH</c>, <c>--max-context-chars N</c>) or configuration (<c>Model:Path</c>, ...).</summary>
/// <param name="ModelPath">The .onnx file.</param>
/// <param name="VocabPath">Its vocab.txt (default: beside the model).</param>
/// <param name="MaxContextCharacters">Longest context accepted (50,000).</param>
/// <param name="MaxQuestionCharacters">Longest question accepted (1,000).</param>
/// <param name="MaxBodyBytes">Largest request body (4 MiB).</param>
public sealed record ServiceOptions(string ModelPath, string? VocabPath, int MaxContextCharacters, int MaxQuestionCharacters, long MaxBodyBytes)
{
    /// <summary>Reads the settings; a missing model path is an error that says which flag to pass.</summary>
    public static ServiceOptions From(IConfiguration configuration)
    {
        string model = configuration["model"] ?? configuration["Model:Path"]
            ?? throw new InvalidOperationException("No model: pass --model PATH/TO/model.onnx (or set Model:Path).");
        int Int(string flag, string key, int fallback) =>
            int.TryParse(configuration[flag] ?? configuration[key], out int v) && v > 0 ? v : fallback;
        return new ServiceOptions(model, configuration["vocab"] ?? configuration["Model:Vocab"],
            Int("max-context-chars", "Limits:MaxContextCharacters", 50_000),
            Int("max-question-chars", "Limits:MaxQuestionCharacters", 1_000),
            Int("max-body-bytes", "Limits:MaxBodyBytes", 4 * 1024 * 1024));
    }
}
