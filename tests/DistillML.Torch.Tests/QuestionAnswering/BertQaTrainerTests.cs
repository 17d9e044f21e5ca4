using DistillML.Text.Features;
using DistillML.Text.Squad;
using DistillML.TestSupport;
using DistillML.Torch.Modeling;
using DistillML.Torch.QuestionAnswering;
using DistillML.Torch.Training;
using TorchSharp;

namespace DistillML.Torch.Tests.QuestionAnswering;

public sealed class BertQaTrainerTests : IDisposable
{
    static readonly Lazy<BertFeaturizer> Featurizer = new(() => BertFeaturizer.Create(new FeaturizerOptions
    {
        VocabPath = SharedAssets.BertVocab, MaxSequenceLength = 128, DocStride = 32, MaxQueryLength = 32,
    }));

    static readonly Lazy<IReadOnlyList<SquadExample>> Train = new(() => SquadDataset.Read(SharedAssets.Squad("train-v1.1.json")).Take(160).ToList());

    readonly string root = Path.Combine(Path.GetTempPath(), $"trainer-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    // A private generator: torch's global one is shared with the test classes running in parallel.
    static BertQaModel TinyModel(int seed)
    {
        using var generator = new torch.Generator((ulong)seed);
        return new BertQaModel(new BertConfig { NumLayers = 2, HiddenSize = 64, NumHeads = 4, IntermediateSize = 128, MaxPositionEmbeddings = 128 }, generator: generator)
        {
            VocabularyPath = SharedAssets.BertVocab,
        };
    }

    [Fact]
    public void Fine_tuning_on_real_squad_questions_raises_their_f1_well_above_untrained()
    {
        using var model = TinyModel(1);
        var predictor = new BertQaPredictor(model, Featurizer.Value);
        var before = predictor.Evaluate(Train.Value);

        var trainer = new BertQaTrainer(Featurizer.Value, new BertQaTrainerOptions
        {
            MaxSteps = 150, BatchSize = 16, Seed = 3,
            Optimization = new TrainingLoopOptions { LearningRate = 2e-3, WarmupFraction = 0.05 },
        });
        var report = trainer.Train(model, Train.Value, validation: Train.Value);

        Assert.Equal(SquadVersion.V1_1, report.Best!.Metrics.Version);
        Assert.True(report.Best.Metrics.F1 > before.F1 + 15, $"F1 on the training questions went from {before.F1:F1} to {report.Best.Metrics.F1:F1}");
        Assert.True(report.LossCurve.TakeLast(10).Average(p => p.Loss) < report.LossCurve.Take(10).Average(p => p.Loss) * 0.7);
        Assert.True(report.WindowsPerSecond > 0);
    }

    [Fact]
    public void Best_evaluation_is_kept_saved_and_restored()
    {
        using var model = TinyModel(2);
        string best = Path.Combine(root, "best");
        var trainer = new BertQaTrainer(Featurizer.Value, new BertQaTrainerOptions
        {
            MaxSteps = 30, BatchSize = 8, EvaluateEverySteps = 10, BestCheckpointDirectory = best,
            Precision = Precision.Float32, // the evaluations below run in the model's float32, so the trainer's must too (bf16 is the default where it wins)
            Optimization = new TrainingLoopOptions { LearningRate = 3e-3 },
        });
        var validation = Train.Value.Take(40).ToList();
        var report = trainer.Train(model, Train.Value, validation);

        Assert.Equal(new[] { 10, 20, 30 }, report.Evaluations.Select(e => e.Step));
        Assert.Equal(report.Evaluations.Max(e => e.Metrics.F1), report.Best!.Metrics.F1);
        var now = new BertQaPredictor(model, Featurizer.Value).Evaluate(validation);
        Assert.Equal(report.Best.Metrics.F1, now.F1, 6); // the model holds the best weights
        using var saved = BertQaModel.Load(best);
        Assert.Equal(report.Best.Metrics.F1, new BertQaPredictor(saved, Featurizer.Value).Evaluate(validation).F1, 6);
        Assert.True(File.Exists(Path.Combine(best, "vocab.txt")));
    }

    [Fact]
    public void Same_seed_gives_the_same_model_on_cpu()
    {
        var options = new BertQaTrainerOptions { MaxSteps = 8, BatchSize = 8, Seed = 9, Optimization = new TrainingLoopOptions { LearningRate = 1e-3 } };
        using var a = TinyModel(4);
        using var b = TinyModel(4);
        var ra = new BertQaTrainer(Featurizer.Value, options).Train(a, Train.Value);
        var rb = new BertQaTrainer(Featurizer.Value, options).Train(b, Train.Value);
        Assert.Equal(ra.LossCurve, rb.LossCurve);
        foreach (var (name, tensor) in a.state_dict())
            Assert.True(tensor.allclose(b.state_dict()[name], rtol: 0, atol: 0), name);
    }

    [Fact]
    public void Predictions_do_not_depend_on_batch_composition()
    {
        using var model = TinyModel(5);
        var examples = Train.Value.Take(30).ToList();
        var one = new BertQaPredictor(model, Featurizer.Value, batchSize: 1).Predict(examples);
        var many = new BertQaPredictor(model, Featurizer.Value, batchSize: 16).Predict(examples);
        foreach (var e in examples)
        {
            Assert.Equal(one[e.Id].Text, many[e.Id].Text);
            Assert.Equal(one[e.Id].Score, many[e.Id].Score, 3);
        }
    }
}
