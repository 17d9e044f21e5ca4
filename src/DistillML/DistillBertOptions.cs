using DistillML.Torch.Distillation;
using DistillML.Torch.Training;
using Microsoft.ML;

namespace DistillML;

/// <summary>
/// Settings of <c>mlContext.Transforms.DistillBert</c>: the student's shape and start, the distillation loss, the
/// optimisation, the windows and the columns. The schedule's defaults are <see cref="TrainingDefaults"/>'s (DistilBERT's
/// SQuAD distillation: T = 2, α_ce = α_squad = 0.5, learning rate 1e-4, 2 epochs), with 384-token windows and stride 128.
/// </summary>
public sealed class DistillBertOptions : BertQuestionAnsweringOptions
{
    /// <summary>The student's shape. Default: 4 layers, 384 wide, 6 heads, 1536 feed-forward, DistilBERT family.</summary>
    public StudentArchitecture Student { get; set; } = new();
    /// <summary>How the student's weights start. Default <see cref="StudentInitialization.TeacherTruncated"/> (every k-th teacher layer).</summary>
    public StudentInitialization Initialization { get; set; } = StudentInitialization.TeacherTruncated;
    /// <summary>Softmax temperature of the soft targets. Default 2.</summary>
    public double Temperature { get; set; } = TrainingDefaults.Temperature;
    /// <summary>Weight of the KL term to the teacher's soft targets; 0 trains on labels only. Default 0.5.</summary>
    public double AlphaCe { get; set; } = TrainingDefaults.AlphaCe;
    /// <summary>Weight of the cross-entropy on the gold spans. Default 0.5.</summary>
    public double AlphaSquad { get; set; } = TrainingDefaults.AlphaSquad;
    /// <summary>Weight of the hidden-state cosine term (equal widths only; runs the teacher at every step). Default 0.</summary>
    public double AlphaCos { get; set; }
    /// <summary>Peak AdamW learning rate. Default 1e-4 (<see cref="TrainingDefaults.DistillationLearningRate"/>).</summary>
    public double LearningRate { get; set; } = TrainingDefaults.DistillationLearningRate;
    /// <summary>Fraction of the steps spent warming up. Default 0.1.</summary>
    public double WarmupFraction { get; set; } = TrainingDefaults.WarmupFraction;
    /// <summary>Decoupled weight decay (not on biases and LayerNorms). Default 0.01.</summary>
    public double WeightDecay { get; set; } = TrainingDefaults.WeightDecay;
    /// <summary>Passes over the training windows; ignored when <see cref="MaxSteps"/> is set. Default 2.</summary>
    public int Epochs { get; set; } = TrainingDefaults.Epochs;
    /// <summary>Optimizer steps; null runs <see cref="Epochs"/>.</summary>
    public int? MaxSteps { get; set; }
    /// <summary>Training windows per step. Default 16.</summary>
    public int BatchSize { get; set; } = TrainingDefaults.BatchSize;
    /// <summary>
    /// Seed of the student's initialisation, the shuffling and dropout. Default null: drawn from the <see cref="MLContext"/>
    /// the estimator is created from, as ML.NET's trainers do (<c>new MLContext(seed: 1)</c> makes fits repeatable; an
    /// unseeded context gives a fresh seed per estimator). Set it to fix the seed whatever the context.
    /// </summary>
    public int? Seed { get; set; }
    /// <summary>Questions to evaluate on (same columns as the training data); the student with the best F1 is kept.</summary>
    public IDataView? ValidationData { get; set; }
    /// <summary>Evaluate on <see cref="ValidationData"/> every this many steps; 0 only at the end. Default 0.</summary>
    public int EvaluateEverySteps { get; set; }
    /// <summary>Directory of the teacher-logits cache shared by students (and processes); null computes them per fit, in memory.</summary>
    public string? TeacherCacheDirectory { get; set; }
    /// <summary>Progress of the phases ("teacher-logits", "distill", "evaluate").</summary>
    public IProgress<TrainingProgress>? Progress { get; set; }
    /// <summary>Cancels the fit between steps.</summary>
    public CancellationToken CancellationToken { get; set; }

    internal DistillationOptions Trainer(bool version2, int seed) => new()
    {
        Temperature = Temperature, AlphaCe = AlphaCe, AlphaSquad = AlphaSquad, AlphaCos = AlphaCos, Epochs = Epochs, MaxSteps = MaxSteps,
        BatchSize = BatchSize, EvaluationBatchSize = InferenceBatchSize, Seed = seed, EvaluateEverySteps = EvaluateEverySteps,
        TeacherCacheDirectory = TeacherCacheDirectory, PostProcessing = PostProcessing(AllowNoAnswer ?? version2),
        Optimization = new TrainingLoopOptions { LearningRate = LearningRate, WarmupFraction = WarmupFraction, WeightDecay = WeightDecay },
    };

    internal override void Validate()
    {
        base.Validate();
        ArgumentNullException.ThrowIfNull(Student, nameof(Student));
        foreach (var (name, value) in new[] { (nameof(AnswersColumnName), AnswersColumnName), (nameof(AnswerStartsColumnName), AnswerStartsColumnName) })
            if (string.IsNullOrWhiteSpace(value)) throw new ArgumentException($"{name} must name a column: distillation trains on the gold spans too.", name);
        Trainer(false, Seed ?? 0).Validate(); // the seed is not validated; any value does
    }
}
