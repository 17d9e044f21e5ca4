using System.Diagnostics;
using DistillML.Text.Features;
using DistillML.Text.Squad;
using DistillML.Torch;
using DistillML.Torch.Checkpoints;
using DistillML.Torch.Modeling;
using DistillML.Torch.QuestionAnswering;
using DistillML.Torch.Training;
using TorchSharp;

namespace TorchBench;

/// <summary>
/// The accuracy check of mixed precision: the same fine-tuning (same start, seed, batches) in float32 and in bfloat16
/// mixed precision, each scored on the same evenly spread dev-v1.1 questions in its own precision and in float32.
/// </summary>
internal static class AccuracyCheck
{
    public static int Run(string checkpoint, Arguments arguments)
    {
        string squad = arguments.Text("--data-dir") ?? Path.Combine("..", "shared", "assets", "squad");
        int steps = arguments.Int("--steps", 300), batch = arguments.Int("--batch", 16), questions = arguments.Int("--dev-questions", 1000);
        int seq = arguments.Int("--seq", 256);
        double lr = arguments.Double("--lr", 1e-4);
        TorchThreads.Configure();
        var featurizer = BertFeaturizer.Create(new FeaturizerOptions { VocabPath = Path.Combine(checkpoint, "vocab.txt"), MaxSequenceLength = seq, DocStride = 128 });
        var train = SquadDataset.Load(Path.Combine(squad, "train-v1.1.json")).EvenlySpread(steps * batch);
        var dev = SquadDataset.Load(Path.Combine(squad, "dev-v1.1.json")).EvenlySpread(questions);
        Console.WriteLine($"start {checkpoint} (fresh QA head, seed 7), {steps} steps x {batch} windows of {seq} tokens, lr {lr}, dev-v1.1 {dev.Count} evenly spread questions");
        foreach (var precision in new[] { Precision.BFloat16Mixed, Precision.Float32 })
        {
            torch.manual_seed(7);
            using var model = BertCheckpoint.Load(checkpoint, allowNewQaHead: true);
            using (torch.no_grad())
            {
                TorchSharp.torch.nn.init.normal_(model.get_parameter("qa_outputs.weight"), 0, model.Config.InitializerRange);
                TorchSharp.torch.nn.init.zeros_(model.get_parameter("qa_outputs.bias"));
            }
            var clock = Stopwatch.StartNew();
            var report = new BertQaTrainer(featurizer, new BertQaTrainerOptions
            {
                MaxSteps = steps, BatchSize = batch, Precision = precision, Seed = 42,
                Optimization = new TrainingLoopOptions { LearningRate = lr, ReportEvery = 50 },
            }).Train(model, train, null, new Progress<TrainingProgress>(p => Console.WriteLine($"  {precision} step {p.Step}/{p.TotalSteps} loss {p.Loss:F3} {p.ExamplesPerSecond:F1} windows/s, load {TorchThreads.LoadAverage():F2}")));
            var trainTime = clock.Elapsed;
            model.Precision = precision;
            var own = new BertQaPredictor(model, featurizer, batchSize: 64).Evaluate(dev);
            model.Precision = Precision.Float32;
            var fp32 = new BertQaPredictor(model, featurizer, batchSize: 64).Evaluate(dev);
            Console.WriteLine($"{precision}: trained in {trainTime:mm\\:ss} ({report.WindowsPerSecond:F1} windows/s), final loss {report.LossCurve.TakeLast(20).Average(p => p.Loss):F3}; " +
                $"dev EM/F1 in its own precision {own.Exact:F2} / {own.F1:F2}, in float32 {fp32.Exact:F2} / {fp32.F1:F2}");
        }
        return 0;
    }
}
