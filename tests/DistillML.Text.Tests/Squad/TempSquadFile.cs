using System.IO.Compression;
using System.Text;

namespace DistillML.Text.Tests.Squad;

/// <summary>A SQuAD JSON text written to a temporary file, deleted on dispose.</summary>
sealed class TempSquadFile : IDisposable
{
    public TempSquadFile(string json, bool gzip = false, bool bom = false)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"squad-test-{Guid.NewGuid():N}.json{(gzip ? ".gz" : "")}");
        byte[] bytes = (bom ? new UTF8Encoding(true).GetPreamble() : []).Concat(Encoding.UTF8.GetBytes(json)).ToArray();
        if (!gzip) { File.WriteAllBytes(Path, bytes); return; }
        using var file = File.Create(Path);
        using var zip = new GZipStream(file, CompressionLevel.Fastest);
        zip.Write(bytes);
    }

    public string Path { get; }

    public void Dispose() => File.Delete(Path);

    /// <summary>A one-article, one-paragraph file around the given question objects (JSON text).</summary>
    public static TempSquadFile WithQuestions(string context, params string[] questions) =>
        new($$"""{"version": "v2.0", "data": [{"title": "T", "paragraphs": [{"context": {{Json(context)}}, "qas": [{{string.Join(",\n", questions)}}]}]}]}""");

    /// <summary>A question object; answers are (text, start) pairs.</summary>
    public static string Question(string id, string question, params (string Text, int Start)[] answers) =>
        $$"""{"id": {{Json(id)}}, "question": {{Json(question)}}, "answers": [{{string.Join(", ", answers.Select(a => $$"""{"text": {{Json(a.Text)}}, "answer_start": {{a.Start}}}"""))}}], "is_impossible": {{(answers.Length == 0 ? "true" : "false")}}}""";

    public static string Json(string s) => System.Text.Json.JsonSerializer.Serialize(s);
}
