using DistillML.Onnx;
using DistillML.Text.Decoding;
using DistillML.Text.Features;
using DistillML.Text.Squad;
using DistillML.Torch.Modeling;
using DistillML.Torch.OnnxExport;
using DistillML.Torch.QuestionAnswering;
using DistillML.Torch.Training;
using TorchSharp;

namespace OnnxBench;

/// <summary>
/// SQuAD v1.1 dev EM/F1 of one trained model run by TorchSharp and by ONNX Runtime in each weight format, and how
/// often each format's answer equals the fp32 one. The model is --checkpoint DIR, or an L2/H128 student fine-tuned
/// here for --finetune-steps steps (untrained weights would make the deltas meaningless).
/// </summary>
internal static class Accuracy
{
    public static void Run(BenchArgs args, string vocab, string squadDir, string workDir)
    {
        var featurizerOptions = new FeaturizerOptions { VocabPath = vocab };
        var featurizer = BertFeaturizer.Create(featurizerOptions);
        BertQaModel model;
        string source;
        if (args.Checkpoint is { } dir)
        {
            model = BertQaModel.Load(dir);
            source = dir;
        }
        else
        {
            torch.manual_seed(3);
            model = new BertQaModel(new BertConfig { NumLayers = 2, HiddenSize = 128, NumHeads = 2, IntermediateSize = 512, MaxPositionEmbeddings = 512 }) { VocabularyPath = vocab };
            var train = SquadDataset.Read(Path.Combine(squadDir, "train-v1.1.json")).Take(args.FinetuneSteps * 16).ToList();
            var started = DateTime.UtcNow;
            new BertQaTrainer(featurizer, new BertQaTrainerOptions
            {
                MaxSteps = args.FinetuneSteps, BatchSize = 16, Optimization = new TrainingLoopOptions { LearningRate = 1e-3, WarmupFraction = 0.1, ReportEvery = 1_000_000 },
            }).Train(model, train);
            source = $"L2/H128 fine-tuned here for {args.FinetuneSteps} steps of 16 on train-v1.1 ({(DateTime.UtcNow - started).TotalSeconds:F0} s)";
        }
        using var _ = model;
        model.eval();
        var dev = SquadDataset.Read(Path.Combine(squadDir, "dev-v1.1.json")).Take(args.DevQuestions).ToList();
        var decoding = new PostProcessingOptions { AllowNoAnswer = false };
        Console.WriteLine($"== Accuracy on the first {dev.Count} dev-v1.1 questions; model: {source}");
        Console.WriteLine($"{"runtime",-18}{"MB",8}{"EM",8}{"F1",8}{"ΔF1 vs fp32",13}{"same answer as fp32",21}");

        var torchPredictions = new BertQaPredictor(model, featurizer, decoding).Predict(dev);
        var torchMetrics = SquadMetric.EvaluateV1(dev, torchPredictions.ToDictionary(p => p.Key, p => p.Value.Text));
        Console.WriteLine($"{"TorchSharp fp32",-18}{"",8}{torchMetrics.Exact,8:F2}{torchMetrics.F1,8:F2}");

        IReadOnlyDictionary<string, SquadPrediction>? fp32 = null;
        double fp32F1 = 0;
        foreach (var (format, fused) in Enum.GetValues<OnnxWeightFormat>().SelectMany(f => new[] { (f, false), (f, true) }))
        {
            var export = model.ExportOnnx(Path.Combine(workDir, $"accuracy-{format}-{fused}", "model.onnx"),
                new OnnxExportOptions { WeightFormat = format, VocabularyPath = vocab, OrtFusedOperators = fused });
            using var qa = new OnnxQuestionAnswerer(export.Path, new() { PostProcessing = decoding });
            var predictions = qa.Predict(dev);
            var metrics = SquadMetric.EvaluateV1(dev, predictions.ToDictionary(p => p.Key, p => p.Value.Text));
            fp32 ??= predictions;
            if (format == OnnxWeightFormat.Float32 && !fused) fp32F1 = metrics.F1;
            double same = predictions.Count(p => p.Value.Text == fp32[p.Key].Text) / (double)predictions.Count;
            Console.WriteLine($"{$"ORT {export.Metadata.WeightFormat}{(fused ? " fused" : "")}",-18}{export.FileBytes / 1e6,8:F1}{metrics.Exact,8:F2}{metrics.F1,8:F2}{metrics.F1 - fp32F1,13:+0.00;-0.00;0.00}{same,21:P1}");
        }
        double torchSame = torchPredictions.Count(p => p.Value.Text == fp32![p.Key].Text) / (double)torchPredictions.Count;
        Console.WriteLine($"TorchSharp vs ORT fp32: same answer on {torchSame:P1} of the questions.");
    }
}
