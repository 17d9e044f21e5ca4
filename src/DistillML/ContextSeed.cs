using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace DistillML;

/// <summary>
/// Seeds drawn from an <see cref="MLContext"/>, the way ML.NET's own components draw them: a seeded context
/// (<c>new MLContext(seed: 1)</c>) gives the same sequence of seeds to the components built from it in the same order,
/// an unseeded one gives fresh seeds.
/// </summary>
internal static class ContextSeed
{
    /// <summary>The next seed of <paramref name="environment"/>'s random source (an <see cref="MLContext"/> is one).</summary>
    public static int Draw(IHostEnvironment environment) => environment.Register(nameof(DistillML)).Rand.Next();

    /// <summary>
    /// The environment behind <c>mlContext.Transforms</c>. ML.NET exposes it only through the internal
    /// <c>IInternalCatalog.Environment</c> (its own packages reach it as a [BestFriend] through <c>CatalogUtils</c>), so an
    /// extension method outside ML.NET has no public way back to the context's seed; this reads that property by
    /// reflection, and <c>ContextSeedTests</c> fails if an ML.NET upgrade moves it.
    /// </summary>
    public static IHostEnvironment EnvironmentOf(TransformsCatalog catalog)
    {
        var property = typeof(TransformsCatalog).GetInterfaces()
            .Where(i => i.Name == "IInternalCatalog")
            .Select(i => i.GetProperty("Environment", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            .FirstOrDefault(p => p is not null)
            ?? throw new InvalidOperationException($"This version of ML.NET ({typeof(TransformsCatalog).Assembly.GetName().Version}) has no IInternalCatalog.Environment on TransformsCatalog; DistillML cannot read the MLContext's seed. Set the options' Seed.");
        return (IHostEnvironment)property.GetValue(catalog)!;
    }
}
