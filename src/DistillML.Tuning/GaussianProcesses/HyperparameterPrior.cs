namespace DistillML.Tuning.GaussianProcesses;

/// <summary>
/// A prior on one positive Gaussian process hyperparameter θ. Fitting works on u = log θ and adds
/// <see cref="LogDensity"/>, the log density of θ evaluated at e^u without the Jacobian of the log transform: the
/// convention of GPyTorch (whose priors BoTorch's defaults are stated in), so a prior here has the mode it has there.
/// </summary>
public abstract record HyperparameterPrior
{
    private protected HyperparameterPrior()
    {
    }

    /// <summary>The log density (up to a constant) of θ = e^u, and its derivative with respect to u.</summary>
    public abstract (double Value, double Gradient) LogDensity(double u);

    /// <summary>The θ at which the density is largest.</summary>
    public abstract double Mode { get; }
}

/// <summary>A Gamma(shape, rate) prior: density ∝ θ^(shape-1) e^(-rate θ).</summary>
/// <param name="Shape">The shape a (above 1 for a mode above zero).</param>
/// <param name="Rate">The rate b (the inverse scale).</param>
public sealed record GammaPrior(double Shape, double Rate) : HyperparameterPrior
{
    /// <inheritdoc />
    public override (double Value, double Gradient) LogDensity(double u)
    {
        var e = Math.Exp(u);
        return ((Shape - 1) * u - Rate * e, (Shape - 1) - Rate * e);
    }

    /// <inheritdoc />
    public override double Mode => Math.Max(0, (Shape - 1) / Rate);
}

/// <summary>A log-normal prior: log θ ~ Normal(location, scale²).</summary>
/// <param name="Location">The mean of log θ.</param>
/// <param name="Scale">The standard deviation of log θ.</param>
public sealed record LogNormalPrior(double Location, double Scale) : HyperparameterPrior
{
    /// <inheritdoc />
    public override (double Value, double Gradient) LogDensity(double u)
    {
        // log p(θ) = -(log θ - μ)² / 2σ² - log θ + const.
        var z = (u - Location) / (Scale * Scale);
        return (-0.5 * (u - Location) * z - u, -z - 1);
    }

    /// <inheritdoc />
    public override double Mode => Math.Exp(Location - Scale * Scale);
}
