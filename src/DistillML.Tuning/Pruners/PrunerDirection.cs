using DistillML.Tuning.Objectives;

namespace DistillML.Tuning.Pruners;

/// <summary>Better and worse for an intermediate value, shared by the pruners.</summary>
internal static class PrunerDirection
{
    /// <summary>Whether <paramref name="a"/> is strictly better than <paramref name="b"/>.</summary>
    public static bool Better(this ObjectiveDirection direction, double a, double b) => direction == ObjectiveDirection.Minimize ? a < b : a > b;
}
