using DistillML.Text.Features;
using DistillML.Text.Squad;
using DistillML.Torch;
using DistillML.Torch.Modeling;
using DistillML.Torch.Pretraining;
using DistillML.Torch.QuestionAnswering;
using DistillML.Torch.Training;
using TorchSharp;

namespace SquadDistillation;

/// <summary>
/// The small demo teacher used when no --teacher is given and runs/teacher/model does not exist: the TrainTeacher
/// recipe (masked-LM self-pretraining on the SQuAD contexts, then SQuAD fine-tuning) at a size that trains in a few
/// minutes on 2 cores. Saved under the demo-teacher directory and reused by later runs.
/// </summary>
internal static class DemoTeacher
{
    public static BertQaModel Train(string vocabPath, IReadOnlyList<SquadExample> train, string directory, int seed, string? device,
        IProgress<TrainingProgress> progress, CancellationToken cancellationToken)
    {
        var featurizer = BertFeaturizer.Create(new FeaturizerOptions { VocabPath = vocabPath, MaxSequenceLength = 192, DocStride = 64 });
        var vocabulary = WordPieceVocabulary.Load(vocabPath);
        torch.manual_seed(seed);
        var model = new BertQaModel(new BertConfig
        {
            VocabSize = vocabulary.Count, NumLayers = 4, HiddenSize = 128, NumHeads = 2, IntermediateSize = 512, MaxPositionEmbeddings = 512,
        }, TorchDevice.Resolve(device)) { VocabularyPath = vocabPath };
        new MaskedLmPretrainer(featurizer.Encoder, vocabulary, new MaskedLmOptions
        {
            SequenceLength = 128, BatchSize = 32, MaxSteps = 200, WholeWordMasking = true, Seed = seed,
            Optimization = new TrainingLoopOptions { LearningRate = 1e-3, WarmupFraction = 0.06, ReportEvery = 5 },
        }).Pretrain(model, train.Select(e => e.Context).Distinct(), progress, cancellationToken);
        new BertQaTrainer(featurizer, new BertQaTrainerOptions
        {
            MaxSteps = 600, BatchSize = 32, Seed = seed,
            Optimization = new TrainingLoopOptions { LearningRate = 1e-3, WarmupFraction = 0.1, ReportEvery = 5 },
        }).Train(model, train, validation: null, progress, cancellationToken);
        model.Save(directory);
        return model;
    }
}
