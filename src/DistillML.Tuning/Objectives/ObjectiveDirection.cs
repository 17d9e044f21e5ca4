namespace DistillML.Tuning.Objectives;

/// <summary>Whether an objective is better low or high.</summary>
public enum ObjectiveDirection
{
    /// <summary>Lower is better (loss, size, latency).</summary>
    Minimize,

    /// <summary>Higher is better (F1, exact match).</summary>
    Maximize,
}
