using DistillML.Torch.Modeling;

namespace DistillML.Torch.Teachers;

/// <summary>
/// The recipe a practitioner uses to fine-tune a pretrained encoder on SQuAD (transformers' run_qa.py settings for a
/// small model): 256-token windows with stride 128, AdamW at 1e-4 with 10% warmup and linear decay, batches of 32,
/// the best of periodic evaluations kept. The defaults (2,800 steps, 89,600 windows, 0.92 of an epoch of train-v1.1)
/// take <see cref="DefaultCpuTime"/>; <see cref="Quick"/> shows the pipeline in minutes.
/// </summary>
public sealed record PretrainedTeacherOptions
{
    /// <summary>
    /// What the default recipe costs on 2 CPU cores, as measured: 1 h 22 min at 19.4 windows/s alone on an AVX-512 core
    /// pair with bfloat16; 13.6 falling to 7.5 windows/s (2 to 3.3 hours) on a pair shared with builds and tests.
    /// </summary>
    public const string DefaultCpuTime = "about 80 minutes on 2 idle CPU cores with bf16, 2 hours or more on slower or shared ones";

    /// <summary>QA window length in tokens. Default 256.</summary>
    public int SequenceLength { get; init; } = 256;
    /// <summary>Overlap of consecutive windows. Default 128.</summary>
    public int DocStride { get; init; } = 128;
    /// <summary>Optimizer steps. Default 2800.</summary>
    public int Steps { get; init; } = 2800;
    /// <summary>Windows per batch. Default 32.</summary>
    public int Batch { get; init; } = 32;
    /// <summary>Peak learning rate. Default 1e-4 (MiniLM-sized encoders take a higher rate than BERT-base's 3e-5).</summary>
    public double LearningRate { get; init; } = 1e-4;
    /// <summary>Fraction of the steps spent warming up. Default 0.1.</summary>
    public double WarmupFraction { get; init; } = 0.1;
    /// <summary>
    /// Dropout on attention probabilities while fine-tuning (the encoder's config.json says 0.1). Default 0: with it off
    /// the fused attention kernel runs, which trained MiniLM-L6 (12 heads) 25-30% faster on 2 cores, and in under an
    /// epoch of fine-tuning it regularises little. Hidden-state dropout stays as the encoder has it.
    /// </summary>
    public double AttentionDropout { get; init; }
    /// <summary>Evaluate every this many steps on <see cref="EvaluationQuestions"/> dev questions, keeping the best. Default 400.</summary>
    public int EvaluateEvery { get; init; } = 400;
    /// <summary>Questions of that evaluation, spread evenly over the dev file. Default 1000.</summary>
    public int EvaluationQuestions { get; init; } = 1000;
    /// <summary>Score the finished teacher on at most this many dev questions (evenly spread); null for all.</summary>
    public int? MaxDevQuestions { get; init; }
    /// <summary>SQuAD 2.0 variant: train-v1.1 plus the exact-offsets half of dev-v2.0; scored on the other half.</summary>
    public bool Squad2 { get; init; }
    /// <summary>
    /// SQuAD 2.0 variant only: the share of answerable training questions that also get an unanswerable twin, the same
    /// question asked of another paragraph of its article (<see cref="DistillML.Text.Squad.UnanswerablePairs"/>). Default 0.5,
    /// SQuAD 2.0's own proportion (a third of its training questions are unanswerable); the half of dev-v2.0 that trains
    /// has only about 3,000 real ones against train-v1.1's 87,599 answerable questions. 0 trains on the real ones only.
    /// </summary>
    public double UnanswerableShare { get; init; } = 0.5;
    /// <summary>
    /// SQuAD 2.0 variant only: how a made unanswerable twin is made (which paragraph it is asked of, or which question
    /// word is swapped). Default
    /// <see cref="DistillML.Text.Squad.UnanswerablePairing.RandomParagraph"/>.
    /// </summary>
    public DistillML.Text.Squad.UnanswerablePairing UnanswerablePairing { get; init; }
    /// <summary>
    /// SQuAD 2.0 variant only: how many times the training half of dev-v2.0 (the only real, adversarially written
    /// unanswerable questions at hand, about 3,000, against train-v1.1's 87,599 answerable ones) enters the training
    /// mix. Default 8: continued from the MiniLM SQuAD 1.1 teacher for 600 steps at lr 5e-5, best_f1 on the scored half
    /// was 60.35 with the half 8 times against 58.99 with it once. Two thirds of the mix from the half (32 times, twins
    /// for a tenth of the answerable questions) raised a SQuAD 2.0 teacher further in a continuation (61.17 to 61.95 in
    /// 600 steps, about 2 passes over the half); more passes overfit it (3.4 passes: 61.60).
    /// </summary>
    public int Squad2HalfRepeats { get; init; } = 8;
    /// <summary>Seed of the QA head, the shuffling and dropout. Default 42.</summary>
    public int Seed { get; init; } = 42;
    /// <summary>Arithmetic of training; null picks per device (<see cref="PrecisionDefaults.Resolve"/>).</summary>
    public Precision? Precision { get; init; }
    /// <summary>Device name ("cpu", "cuda", null for the default).</summary>
    public string? Device { get; init; }

    /// <summary>A few minutes' run that exercises every stage; its scores say nothing about the real teacher.</summary>
    public static PretrainedTeacherOptions Quick { get; } = new() { Steps = 120, Batch = 16, EvaluateEvery = 60, EvaluationQuestions = 200, MaxDevQuestions = 500 };
}
