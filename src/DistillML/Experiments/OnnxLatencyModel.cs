using System.Collections.Concurrent;
using System.Diagnostics;
using DistillML.Onnx;
using DistillML.Text.Features;
using DistillML.Torch.Modeling;
using DistillML.Torch.OnnxExport;
using DistillML.Tuning.SearchSpace;
using TorchSharp;

namespace DistillML.Experiments;

/// <summary>
/// ONNX Runtime latency of a student shape, known before training: an untrained model of that shape is exported and
/// timed on one full-length window (median of several runs, after warm-up). Measurements are memoised per shape. The
/// tuner scores thousands of candidates, so it sees <see cref="PredictMs"/>: a line through the measured shapes in the
/// shape's multiply-adds per token, calibrated on the smallest, default and largest points of the space.
/// </summary>
public sealed class OnnxLatencyModel
{
    private readonly BertConfig teacher;
    private readonly string vocabularyPath;
    private readonly int sequenceLength;
    private readonly string workDirectory;
    private readonly int repeats;
    private readonly ConcurrentDictionary<StudentArchitecture, double> measured = new();
    private readonly object calibration = new();
    private (double Intercept, double Slope)? line;

    /// <summary>Creates a model for students of <paramref name="teacher"/> on windows of <paramref name="sequenceLength"/> tokens.</summary>
    public OnnxLatencyModel(BertConfig teacher, string vocabularyPath, int sequenceLength, string workDirectory, int repeats = 5)
    {
        this.teacher = teacher ?? throw new ArgumentNullException(nameof(teacher));
        this.vocabularyPath = vocabularyPath ?? throw new ArgumentNullException(nameof(vocabularyPath));
        this.sequenceLength = sequenceLength;
        this.workDirectory = workDirectory;
        this.repeats = Math.Max(1, repeats);
    }

    /// <summary>Multiply-adds per token of a shape's encoder (projections, feed-forward, attention over the window, ELECTRA's embedding projection).</summary>
    public double MultiplyAdds(StudentArchitecture a) =>
        (double)a.Layers * (4.0 * a.Hidden * a.Hidden + 2.0 * a.Hidden * a.Intermediate + 2.0 * sequenceLength * a.Hidden)
        + (a.Family == Torch.Modeling.ModelFamily.Electra ? (double)(a.EmbeddingSize ?? a.Hidden) * a.Hidden : 0);

    /// <summary>Measures (once per shape) the milliseconds ONNX Runtime takes for one window.</summary>
    public double MeasureMs(StudentArchitecture architecture) => measured.GetOrAdd(architecture with { Dropout = 0, AttentionDropout = 0 }, Measure);

    /// <summary>The calibrated prediction for a point of <paramref name="space"/>; the first call calibrates.</summary>
    public double PredictMs(SearchSpace space, Parameter parameter)
    {
        ArgumentNullException.ThrowIfNull(space);
        var (intercept, slope) = Calibrate(space);
        return intercept + slope * MultiplyAdds(StudentTrialSettings.From(parameter, teacher.MaxPositionEmbeddings).Architecture);
    }

    private (double, double) Calibrate(SearchSpace space)
    {
        lock (calibration)
        {
            if (line is { } known) return known;
            var corners = new[] { 0.0, 0.5, 0.999 }
                .Select(x => space.SampleFromFeatureSpace(Enumerable.Repeat(x, space.FeatureCount).ToArray()))
                .Append(space.Default)
                .Select(p => StudentTrialSettings.From(p, teacher.MaxPositionEmbeddings).Architecture).Distinct().ToList();
            var xs = corners.Select(MultiplyAdds).ToArray();
            var ys = corners.Select(MeasureMs).ToArray();
            double mx = xs.Average(), my = ys.Average();
            double sxx = xs.Sum(x => (x - mx) * (x - mx));
            double slope = sxx > 0 ? Math.Max(0, xs.Zip(ys).Sum(p => (p.First - mx) * (p.Second - my)) / sxx) : 0;
            line = (Math.Max(0, my - slope * mx), slope);
            return line.Value;
        }
    }

    private double Measure(StudentArchitecture architecture)
    {
        Directory.CreateDirectory(workDirectory);
        string path = Path.Combine(workDirectory, $"latency-L{architecture.Layers}-H{architecture.Hidden}-A{architecture.Heads}-I{architecture.Intermediate}-S{sequenceLength}.onnx");
        if (!File.Exists(path))
        {
            using var generator = new torch.Generator(0); // random weights: latency does not depend on them; the global generator is left alone
            using var model = new BertQaModel(architecture.ToConfig(teacher), torch.CPU, generator) { VocabularyPath = vocabularyPath };
            model.eval();
            model.ExportOnnx(path, new OnnxExportOptions
            {
                Featurizer = new FeaturizerOptions { VocabPath = vocabularyPath, MaxSequenceLength = sequenceLength, DocStride = Math.Min(128, sequenceLength / 2), MaxQueryLength = Math.Min(64, sequenceLength / 4) },
                VocabularyPath = vocabularyPath,
            });
        }

        using var qa = new OnnxQuestionAnswerer(path, new OnnxQuestionAnswererOptions { VocabPath = vocabularyPath, BatchSize = 1 });
        string context = string.Join(' ', Enumerable.Repeat("the quick brown fox jumps over the lazy dog", sequenceLength / 8));
        var window = qa.Featurizer.Featurize([new Text.Squad.SquadExample("latency", "", context, "what jumps?", [], false)]).Take(1).ToList();
        for (int i = 0; i < 2; i++) qa.Logits(window);
        var times = new double[repeats];
        for (int i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            qa.Logits(window);
            times[i] = clock.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        return times[repeats / 2];
    }
}
