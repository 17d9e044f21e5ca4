using System.IO.Compression;

namespace DistillML.Text.Squad;

/// <summary>
/// Reads SQuAD 1.1 and 2.0 JSON files (plain, or gzip-compressed such as <c>.json.gz</c>, recognised by content)
/// into <see cref="SquadExample"/>s. Reading streams: tokens are pulled with <c>Utf8JsonReader</c> from a small
/// buffer and at most one article is held at a time, so memory follows the examples kept, not the file.
/// </summary>
/// <remarks>
/// <para><see cref="SquadAnswer.Start"/> is a UTF-16 index into <see cref="SquadExample.Context"/>: the file's
/// <c>answer_start</c> counts Unicode code points (Python indices) and is converted; the two differ only after a
/// character outside the Basic Multilingual Plane.</para>
/// <para>Every question is checked (see <see cref="SquadFormatException"/>); <see cref="SquadLoadOptions"/> chooses
/// between throwing at the first problem and skipping invalid questions while collecting their problems.
/// Questions of one paragraph share one context string instance.</para>
/// </remarks>
public static class SquadDataset
{
    /// <summary>Reads the whole file now and returns its examples in file order.</summary>
    /// <param name="path">A SQuAD JSON file, optionally gzip-compressed.</param>
    /// <param name="options">What to do with invalid questions; null throws at the first.</param>
    /// <exception cref="SquadFormatException">The file is not SQuAD JSON, or a question is invalid and
    /// <see cref="SquadLoadOptions.OnInvalidQuestion"/> is <see cref="InvalidQuestionHandling.Throw"/>.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static IReadOnlyList<SquadExample> Load(string path, SquadLoadOptions? options = null) => Read(path, options).ToList();

    /// <summary>
    /// Reads the file lazily: it is opened when enumeration starts and read as the examples are consumed; every
    /// enumeration reads it again. Problems surface during enumeration.
    /// </summary>
    /// <param name="path">A SQuAD JSON file, optionally gzip-compressed.</param>
    /// <param name="options">What to do with invalid questions; null throws at the first.</param>
    public static IEnumerable<SquadExample> Read(string path, SquadLoadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"SQuAD file '{path}' does not exist.", path);
        return ReadIterator(path, options ?? new SquadLoadOptions());
    }

    static IEnumerable<SquadExample> ReadIterator(string path, SquadLoadOptions options)
    {
        using var json = new JsonTokenStream(Open(path), (message, line, bytePosition, inner) =>
            new SquadFormatException(new SquadProblem(path, null, "(json)", null, message, line, bytePosition), inner));
        foreach (var example in new SquadJsonParser(path, json, options).Examples()) yield return example;
    }

    static Stream Open(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        Span<byte> magic = stackalloc byte[2];
        int n = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return n == 2 && magic[0] == 0x1F && magic[1] == 0x8B ? new GZipStream(file, CompressionMode.Decompress) : file;
    }
}
