using System.Text.Json;
using DistillML.Text.Squad;

namespace DistillML.Text.Tests.Features;

/// <summary>
/// Test-only SQuAD JSON reader (System.Text.Json) until SquadDataset.Load is merged; then switch to the real loader.
/// </summary>
internal static class SquadTestData
{
    public static List<SquadExample> Load(string path, int? maxQuestions = null)
    {
        using var stream = File.OpenRead(path);
        using var doc = JsonDocument.Parse(stream);
        var examples = new List<SquadExample>();
        foreach (JsonElement article in doc.RootElement.GetProperty("data").EnumerateArray())
        {
            string title = article.TryGetProperty("title", out var t) ? t.GetString() ?? "" : "";
            foreach (JsonElement paragraph in article.GetProperty("paragraphs").EnumerateArray())
            {
                string context = paragraph.GetProperty("context").GetString()!;
                foreach (JsonElement qa in paragraph.GetProperty("qas").EnumerateArray())
                {
                    var answers = new List<SquadAnswer>();
                    foreach (JsonElement a in qa.GetProperty("answers").EnumerateArray())
                        answers.Add(new SquadAnswer(a.GetProperty("text").GetString()!, a.GetProperty("answer_start").GetInt32()));
                    bool impossible = qa.TryGetProperty("is_impossible", out var imp) && imp.GetBoolean();
                    examples.Add(new SquadExample(qa.GetProperty("id").GetString()!, title, context,
                        qa.GetProperty("question").GetString()!, answers, impossible));
                    if (examples.Count == maxQuestions) return examples;
                }
            }
        }
        return examples;
    }
}
