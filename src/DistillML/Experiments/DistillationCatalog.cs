using Microsoft.ML;

namespace DistillML.Experiments;

/// <summary>The distillation sweeps of an <see cref="MLContext"/> (<c>mlContext.Distillation()</c>), shaped like ML.NET AutoML's catalog.</summary>
public sealed class DistillationCatalog
{
    internal DistillationCatalog(MLContext context) => Context = context;

    /// <summary>The context experiments are created in.</summary>
    public MLContext Context { get; }

    /// <summary>A new experiment to configure with its fluent setters and run with <see cref="DistillationExperiment.RunAsync"/>.</summary>
    public DistillationExperiment CreateExperiment() => new(Context);
}

/// <summary>Adds <c>mlContext.Distillation()</c>.</summary>
public static class DistillationCatalogExtensions
{
    /// <summary>The distillation sweeps of <paramref name="mlContext"/>.</summary>
    public static DistillationCatalog Distillation(this MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return new DistillationCatalog(mlContext);
    }
}
