using System.Text.Json;

namespace DistillML.Tuning.Storage.Serialization;

internal static class JsonCheck
{
    public static void EnsureValid(string json, string paramName)
    {
        try
        {
            using var _ = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"Not valid JSON: {e.Message}", paramName, e);
        }
    }
}
