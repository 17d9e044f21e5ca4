using DistillML.TestSupport;
using DistillML.Text.Features;
using DistillML.Text.Squad;
using DistillML.Torch.Modeling;
using DistillML.Torch.QuestionAnswering;
using DistillML.Torch.Training;
using TorchSharp;

namespace DistillML.Tests;

/// <summary>
/// A tiny BERT teacher fine-tuned for 100 steps on 200 real train-v1.1 questions and saved in Hugging Face layout,
/// shared by every test of the collection; plus a few hundred questions to distil and evaluate on.
/// </summary>
public sealed class TinyTeacherFixture : IDisposable
{
    public TinyTeacherFixture()
    {
        Train = SquadDataset.Read(SharedAssets.Squad("train-v1.1.json")).Take(200).ToList();
        Dev = SquadDataset.Read(SharedAssets.Squad("dev-v1.1.json")).Take(60).ToList();
        DevV2 = SquadDataset.Read(SharedAssets.Squad("dev-v2.0.json")).Where((_, i) => i % 20 == 0).Take(60).ToList();
        var featurizer = BertFeaturizer.Create(new FeaturizerOptions { VocabPath = SharedAssets.BertVocab, MaxSequenceLength = 128, DocStride = 32, MaxQueryLength = 32 });
        torch.manual_seed(1);
        Teacher = new BertQaModel(new BertConfig { NumLayers = 2, HiddenSize = 64, NumHeads = 4, IntermediateSize = 128, MaxPositionEmbeddings = 128 })
        {
            VocabularyPath = SharedAssets.BertVocab,
        };
        new BertQaTrainer(featurizer, new BertQaTrainerOptions
        {
            MaxSteps = 100, BatchSize = 16, Seed = 3, Optimization = new TrainingLoopOptions { LearningRate = 2e-3, WarmupFraction = 0.05 },
        }).Train(Teacher, Train);
        TeacherDirectory = Path.Combine(Root, "teacher");
        Teacher.Save(TeacherDirectory);
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), $"distillml-tests-{Guid.NewGuid():N}");
    public BertQaModel Teacher { get; }
    public string TeacherDirectory { get; }
    public IReadOnlyList<SquadExample> Train { get; }
    public IReadOnlyList<SquadExample> Dev { get; }
    public IReadOnlyList<SquadExample> DevV2 { get; }

    /// <summary>Small windows, a 1-layer DistilBERT student, few steps: seconds per fit.</summary>
    public DistillBertOptions Options(int steps = 60) => new()
    {
        Student = new StudentArchitecture(Layers: 1, Hidden: 32, Heads: 2, Intermediate: 64, MaxPositions: 128),
        Initialization = Torch.Distillation.StudentInitialization.Random,
        MaxSequenceLength = 128, DocStride = 32, MaxQueryLength = 32, MaxSteps = steps, BatchSize = 16, LearningRate = 3e-3, WarmupFraction = 0.05, Seed = 5,
    };

    public BertQuestionAnsweringOptions Inference => new() { MaxSequenceLength = 128, DocStride = 32, MaxQueryLength = 32 };

    public void Dispose()
    {
        Teacher.Dispose();
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class TinyTeacherCollection : ICollectionFixture<TinyTeacherFixture>
{
    public const string Name = "tiny teacher";
}
