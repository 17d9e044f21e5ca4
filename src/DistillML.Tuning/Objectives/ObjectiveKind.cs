namespace DistillML.Tuning.Objectives;

/// <summary>How the tuner learns an objective's value.</summary>
public enum ObjectiveKind
{
    /// <summary>Measured by running the trial, modelled by a Gaussian process.</summary>
    BlackBox,

    /// <summary>A function of the parameters (such as a parameter count), computed exactly and never modelled.</summary>
    Known,
}
