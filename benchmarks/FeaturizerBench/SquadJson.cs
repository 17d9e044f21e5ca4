using System.Text.Json;
using DistillML.Text.Squad;

namespace FeaturizerBench;

/// <summary>Minimal SQuAD JSON reader for the benchmark; to be replaced by SquadDataset.Load once it is merged.</summary>
internal static class SquadJson
{
    public static List<SquadExample> Load(string path)
    {
        using var stream = File.OpenRead(path);
        using var doc = JsonDocument.Parse(stream);
        var examples = new List<SquadExample>();
        foreach (JsonElement article in doc.RootElement.GetProperty("data").EnumerateArray())
        {
            string title = article.GetProperty("title").GetString() ?? "";
            foreach (JsonElement paragraph in article.GetProperty("paragraphs").EnumerateArray())
            {
                string context = paragraph.GetProperty("context").GetString()!;
                foreach (JsonElement qa in paragraph.GetProperty("qas").EnumerateArray())
                {
                    var answers = qa.GetProperty("answers").EnumerateArray()
                        .Select(a => new SquadAnswer(a.GetProperty("text").GetString()!, a.GetProperty("answer_start").GetInt32()))
                        .ToList();
                    bool impossible = qa.TryGetProperty("is_impossible", out var imp) && imp.GetBoolean();
                    examples.Add(new SquadExample(qa.GetProperty("id").GetString()!, title, context,
                        qa.GetProperty("question").GetString()!, answers, impossible));
                }
            }
        }
        return examples;
    }
}
