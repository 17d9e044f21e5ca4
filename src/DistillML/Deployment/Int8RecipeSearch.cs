using DistillML.Onnx;
using DistillML.Text.Decoding;
using DistillML.Text.Features;
using DistillML.Text.Squad;
using DistillML.Torch.Modeling;
using DistillML.Torch.OnnxExport;

namespace DistillML.Deployment;

/// <summary>How much accuracy int8 may cost and what the search measures it on.</summary>
public sealed class Int8RecipeSearchOptions
{
    /// <summary>The largest F1 loss against the float32 model that is accepted. Default 0.5.</summary>
    public double MaxF1Loss { get; set; } = 0.5;

    /// <summary>
    /// Layers are kept float32 only while the int8 file stays at most this fraction of the float32 file. Default 1/3,
    /// the size target of a quantised student.
    /// </summary>
    public double MaxSizeFraction { get; set; } = 1.0 / 3;

    /// <summary>Featurizer settings of the exported models (the windows the model was trained with).</summary>
    public FeaturizerOptions Featurizer { get; set; } = new();

    /// <summary>ONNX Runtime intra-op threads; 0 lets it choose.</summary>
    public int IntraOpThreads { get; set; }
}

/// <summary>One int8 variant the search measured.</summary>
/// <param name="Description">What was kept float32.</param>
/// <param name="Float32Layers">The linear layers kept float32.</param>
/// <param name="QuantizeEmbeddings">Whether the word embeddings were int8.</param>
/// <param name="F1">F1 on the calibration questions.</param>
/// <param name="Megabytes">File size in MB.</param>
public sealed record Int8Variant(string Description, IReadOnlyList<string> Float32Layers, bool QuantizeEmbeddings, double F1, double Megabytes);

/// <summary>What <see cref="Int8RecipeSearch.Run"/> found.</summary>
/// <param name="Float32F1">F1 of the float32 model on the calibration questions.</param>
/// <param name="Float32Megabytes">Size of the float32 file.</param>
/// <param name="Variants">Every variant measured: plain int8, int8 with float32 embeddings, each layer alone kept float32, then the greedy additions.</param>
/// <param name="Chosen">The variant kept: the smallest loss within the size limit, stopping at the first within <see cref="Int8RecipeSearchOptions.MaxF1Loss"/>.</param>
public sealed record Int8RecipeResult(double Float32F1, double Float32Megabytes, IReadOnlyList<Int8Variant> Variants, Int8Variant Chosen)
{
    /// <summary>The export options of the chosen recipe (int8, its float32 layers and embedding format).</summary>
    public OnnxExportOptions ToExportOptions(FeaturizerOptions featurizer)
    {
        var options = new OnnxExportOptions { WeightFormat = OnnxWeightFormat.Int8, Featurizer = featurizer, QuantizeEmbeddings = Chosen.QuantizeEmbeddings };
        foreach (var layer in Chosen.Float32Layers) options.Float32Layers.Add(layer);
        return options;
    }
}

/// <summary>
/// Per-layer sensitivity of int8 dynamic quantisation, measured with ONNX Runtime: export the model as float32 and as
/// plain int8, then with each linear layer alone kept float32, and keep float32 the layers that win back the most F1
/// per byte, one at a time, until the loss is within budget or the size limit is reached. Measure it on training
/// questions, not the dev set it will be reported on, so the choice is not fitted to the score.
/// </summary>
public static class Int8RecipeSearch
{
    /// <summary>"layer.1.attention.k_lin" for "distilbert.transformer.layer.1.attention.k_lin".</summary>
    private static string ShortName(string layer) => layer[(layer.IndexOf("layer.", StringComparison.Ordinal) is var i and >= 0 ? i : 0)..];

    /// <summary>Runs the search for <paramref name="model"/> on <paramref name="questions"/>; models go into <paramref name="workDirectory"/>.</summary>
    /// <param name="model">The trained model.</param>
    /// <param name="questions">Calibration questions with answers (a few hundred training questions).</param>
    /// <param name="workDirectory">Scratch directory for the variants' ONNX files (kept: the last is the chosen recipe).</param>
    /// <param name="options">Budget and featurizer.</param>
    /// <param name="log">Hears each measurement.</param>
    /// <param name="cancellationToken">Stops between measurements.</param>
    public static Int8RecipeResult Run(BertQaModel model, IReadOnlyList<SquadExample> questions, string workDirectory, Int8RecipeSearchOptions? options = null,
        Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(questions);
        ArgumentException.ThrowIfNullOrWhiteSpace(workDirectory);
        if (questions.Count == 0) throw new ArgumentException("The search needs calibration questions.", nameof(questions));
        options ??= new Int8RecipeSearchOptions();
        if (!(options.MaxF1Loss >= 0)) throw new ArgumentOutOfRangeException(nameof(options), options.MaxF1Loss, "MaxF1Loss must be >= 0");
        if (!(options.MaxSizeFraction > 0)) throw new ArgumentOutOfRangeException(nameof(options), options.MaxSizeFraction, "MaxSizeFraction must be > 0");
        Directory.CreateDirectory(workDirectory);
        var decoding = new PostProcessingOptions { AllowNoAnswer = questions.Any(q => q.IsImpossible) };
        int count = 0;

        (double F1, double Megabytes) Measure(OnnxExportOptions export)
        {
            cancellationToken.ThrowIfCancellationRequested();
            export.Featurizer = options.Featurizer;
            string path = Path.Combine(workDirectory, $"variant-{count++:D3}.onnx");
            var file = model.ExportOnnx(path, export);
            using var qa = new OnnxQuestionAnswerer(path, new OnnxQuestionAnswererOptions { PostProcessing = decoding, BatchSize = 32, IntraOpThreads = options.IntraOpThreads });
            return (SquadMetric.EvaluatePredictions(questions, qa.Predict(questions, cancellationToken)).F1, file.FileBytes / 1e6);
        }

        Int8Variant Variant(string description, IReadOnlyList<string> float32Layers, bool quantizeEmbeddings)
        {
            var export = new OnnxExportOptions { WeightFormat = OnnxWeightFormat.Int8, QuantizeEmbeddings = quantizeEmbeddings };
            foreach (var layer in float32Layers) export.Float32Layers.Add(layer);
            var (f1, mb) = Measure(export);
            var variant = new Int8Variant(description, float32Layers, quantizeEmbeddings, f1, mb);
            log?.Invoke($"{description}: F1 {f1:F2}, {mb:F1} MB");
            return variant;
        }

        var (fp32F1, fp32Mb) = Measure(new OnnxExportOptions { WeightFormat = OnnxWeightFormat.Float32 });
        log?.Invoke($"float32: F1 {fp32F1:F2}, {fp32Mb:F1} MB");
        double maxMb = options.MaxSizeFraction * fp32Mb;
        var variants = new List<Int8Variant>();
        var plain = Variant("int8", [], true);
        variants.Add(plain);
        variants.Add(Variant("int8, float32 embeddings", [], false));
        var chosen = plain;
        if (fp32F1 - plain.F1 > options.MaxF1Loss)
        {
            // Sensitivity: what keeping each layer alone in float32 wins back, per MB it adds.
            var singles = OnnxExporter.QuantizableLayers(model.Config).Select(layer => Variant($"int8, {layer} float32", [layer], true)).ToList();
            variants.AddRange(singles);
            var order = singles.Where(v => v.F1 > plain.F1).OrderByDescending(v => (v.F1 - plain.F1) / Math.Max(1e-6, v.Megabytes - plain.Megabytes)).ToList();
            var kept = new List<string>();
            foreach (var single in order)
            {
                var next = kept.Append(single.Float32Layers[0]).ToList();
                double estimate = plain.Megabytes + next.Count * (single.Megabytes - plain.Megabytes);
                if (estimate > maxMb) continue;
                var candidate = Variant($"int8, {next.Count} layer{(next.Count == 1 ? "" : "s")} float32 ({string.Join(", ", next.Select(ShortName))})", next, true);
                variants.Add(candidate);
                if (candidate.Megabytes > maxMb) continue;
                if (candidate.F1 > chosen.F1) (chosen, kept) = (candidate, next);
                if (fp32F1 - chosen.F1 <= options.MaxF1Loss) break;
            }
        }
        log?.Invoke($"chosen: {chosen.Description} (F1 {chosen.F1:F2}, loss {fp32F1 - chosen.F1:F2}, {chosen.Megabytes:F1} MB = {chosen.Megabytes / fp32Mb:P0} of float32)");
        return new Int8RecipeResult(fp32F1, fp32Mb, variants, chosen);
    }
}
