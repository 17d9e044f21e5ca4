namespace DistillML.Torch.Checkpoints;

/// <summary>A checkpoint's tensors do not fit the model its config describes (missing, unexpected or mis-shaped).</summary>
public sealed class CheckpointMismatchException(string message) : IOException(message);
