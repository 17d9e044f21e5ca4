namespace DistillML.Tuning.GaussianProcesses;

/// <summary>
/// Gamma priors for maximum a posteriori hyperparameters (BoTorch's classic choice for unit-cube inputs and
/// standardized outputs): length scale Gamma(3, 6) (mean 0.5), output scale Gamma(2, 0.15),
/// noise variance Gamma(1.1, 0.05), with bounds that keep the covariance well conditioned.
/// </summary>
public sealed record GpPriors
{
    /// <summary>Shape and rate of the length-scale prior.</summary>
    public (double Shape, double Rate) LengthScale { get; init; } = (3.0, 6.0);

    /// <summary>Shape and rate of the output-scale prior.</summary>
    public (double Shape, double Rate) OutputScale { get; init; } = (2.0, 0.15);

    /// <summary>Shape and rate of the noise-variance prior.</summary>
    public (double Shape, double Rate) Noise { get; init; } = (1.1, 0.05);

    /// <summary>Smallest noise variance (standardized units).</summary>
    public double MinNoise { get; init; } = 1e-6;

    /// <summary>Largest noise variance (standardized units).</summary>
    public double MaxNoise { get; init; } = 1.0;

    /// <summary>Length-scale bounds.</summary>
    public (double Min, double Max) LengthScaleBounds { get; init; } = (0.01, 20.0);

    /// <summary>Output-scale bounds.</summary>
    public (double Min, double Max) OutputScaleBounds { get; init; } = (0.01, 50.0);

    /// <summary>The log density (up to a constant) of a Gamma(shape, rate) prior on θ = exp(u), in u, with its derivative.</summary>
    internal static (double Value, double Gradient) LogGammaInLogSpace(double u, (double Shape, double Rate) prior)
    {
        // p(θ) ∝ θ^(a-1) e^(-bθ); with θ = e^u and the Jacobian e^u: log p(u) = a u - b e^u.
        var e = Math.Exp(u);
        return (prior.Shape * u - prior.Rate * e, prior.Shape - prior.Rate * e);
    }
}
