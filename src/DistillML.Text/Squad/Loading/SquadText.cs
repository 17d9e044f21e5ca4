namespace DistillML.Text.Squad;

/// <summary>Small text helpers for messages.</summary>
internal static class SquadText
{
    /// <summary>The text in double quotes, shortened to about 80 characters, with control characters escaped.</summary>
    public static string Quote(string text, int max = 80)
    {
        string shown = text.Length > max ? text[..max] + "..." : text;
        shown = shown.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n").Replace("\r", "\\r").Replace("\t", "\\t");
        return "\"" + shown + "\"";
    }
}
