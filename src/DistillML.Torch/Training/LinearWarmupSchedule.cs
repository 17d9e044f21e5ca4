namespace DistillML.Torch.Training;

/// <summary>
/// Linear warmup from 0 to the peak learning rate, then linear decay to 0 at the last step
/// (transformers' <c>get_linear_schedule_with_warmup</c>).
/// </summary>
public sealed class LinearWarmupSchedule(double peak, int warmupSteps, int totalSteps)
{
    /// <summary>The learning rate for optimizer step <paramref name="step"/> (0-based).</summary>
    public double At(int step)
    {
        if (step < warmupSteps) return peak * step / Math.Max(1, warmupSteps);
        return peak * Math.Max(0.0, (double)(totalSteps - step) / Math.Max(1, totalSteps - warmupSteps));
    }
}
