using DistillML.Torch.Training;

namespace DistillML.Torch.Pretraining;

/// <summary>What an MLM pretraining run did.</summary>
/// <param name="Steps">Optimizer steps run.</param>
/// <param name="Sequences">Sequences (chunks) in the corpus.</param>
/// <param name="LossCurve">Loss per step.</param>
/// <param name="WallTime">Wall time of the run.</param>
/// <param name="SequencesPerSecond">Training throughput.</param>
public sealed record MaskedLmReport(int Steps, int Sequences, IReadOnlyList<LossPoint> LossCurve, TimeSpan WallTime, double SequencesPerSecond);
