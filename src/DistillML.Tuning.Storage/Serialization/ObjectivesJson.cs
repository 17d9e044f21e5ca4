using System.Text.Json;
using DistillML.Tuning.Objectives;

namespace DistillML.Tuning.Storage.Serialization;

/// <summary>The studies table's objectives column: <c>[{"name": "f1", "direction": "Maximize"}, ...]</c>.</summary>
internal static class ObjectivesJson
{
    public static string Serialize(IEnumerable<StudyObjective> objectives) =>
        JsonSerializer.Serialize(objectives.Select(o => new Dictionary<string, string> { ["name"] = o.Name, ["direction"] = o.Direction.ToString() }));

    public static IReadOnlyList<StudyObjective> Deserialize(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray()
            .Select(e => new StudyObjective(
                e.GetProperty("name").GetString()!,
                Enum.Parse<ObjectiveDirection>(e.GetProperty("direction").GetString()!)))
            .ToList();
    }
}
