namespace DistillML.TestSupport;

/// <summary>
/// Locates ../shared/assets (SQuAD files, the BERT vocabulary) from any test's working directory.
/// The data is read in place and never copied into the repository. DISTILLML_ASSETS overrides the search.
/// </summary>
public static class SharedAssets
{
    static readonly Lazy<string> Root = new(Find);

    /// <summary>The assets directory.</summary>
    public static string Directory => Root.Value;

    /// <summary>Path of a file under the assets directory; fails with a clear message when it is absent.</summary>
    public static string File(params string[] parts)
    {
        string path = Path.Combine([Directory, .. parts]);
        if (!System.IO.File.Exists(path)) throw new FileNotFoundException($"Shared asset '{path}' is missing.", path);
        return path;
    }

    /// <summary>bert-base-uncased-vocab.txt.</summary>
    public static string BertVocab => File("bert-base-uncased-vocab.txt");

    /// <summary>A SQuAD file by name, e.g. "dev-v2.0.json".</summary>
    public static string Squad(string name) => File("squad", name);

    static string Find()
    {
        string? fromEnv = Environment.GetEnvironmentVariable("DISTILLML_ASSETS");
        if (!string.IsNullOrEmpty(fromEnv)) return fromEnv;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            // The repository root holds DistillML.sln; the assets sit beside the checkout in shared/assets.
            string candidate = Path.Combine(dir.FullName, "..", "shared", "assets");
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "DistillML.sln")) && System.IO.Directory.Exists(candidate))
                return Path.GetFullPath(candidate);
            candidate = Path.Combine(dir.FullName, "shared", "assets");
            if (System.IO.Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("../shared/assets not found above " + AppContext.BaseDirectory + "; set DISTILLML_ASSETS.");
    }
}
