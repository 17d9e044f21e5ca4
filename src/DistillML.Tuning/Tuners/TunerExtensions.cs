using DistillML.Tuning.Trials;

namespace DistillML.Tuning.Tuners;

/// <summary>Helpers for any <see cref="ITuner"/>.</summary>
public static class TunerExtensions
{
    /// <summary>
    /// Replays finished trials into a tuner (for example those a store kept of an interrupted sweep), in order.
    /// Returns the tuner for chaining.
    /// </summary>
    public static T Replay<T>(this T tuner, IEnumerable<TrialResult> history) where T : ITuner
    {
        ArgumentNullException.ThrowIfNull(history);
        foreach (var result in history)
        {
            tuner.Update(result);
        }

        return tuner;
    }
}
