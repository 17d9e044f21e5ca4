namespace OnnxQaService;

/// <summary>Settings, from the command line (<c>--model PATH</c>, <c>--max-context-chars N</c>) or configuration (<c>Model:Path</c>, ...).</summary>
public sealed record ServiceOptions(string ModelPath, string? VocabPath, int MaxContextCharacters, int MaxQuestionCharacters, long MaxBodyBytes)
{
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
