namespace DistillML.Tuning.GaussianProcesses;

/// <summary>Hyperparameters of a Matérn 5/2 ARD Gaussian process on standardized outputs.</summary>
/// <param name="LengthScales">One length scale per input coordinate (inputs live in the unit cube).</param>
/// <param name="OutputScale">The signal variance s².</param>
/// <param name="NoiseVariance">The observation noise variance σ².</param>
public sealed record GpHyperparameters(double[] LengthScales, double OutputScale, double NoiseVariance)
{
    /// <summary>
    /// The starting point of hyperparameter fitting: length scales 0.5 (half the unit cube; near the dimension-scaled
    /// prior's mode, 0.29 to 0.74 for 2 to 13 inputs), s² = 1, σ² = 1e-3.
    /// </summary>
    public static GpHyperparameters Default(int dimension) =>
        new(Enumerable.Repeat(0.5, dimension).ToArray(), 1.0, 1e-3);
}
