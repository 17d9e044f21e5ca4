namespace TunerBench;

/// <summary>A box-constrained test problem on [0,1]^d, minimized, with a reference point and its known maximum hypervolume.</summary>
public abstract class BenchmarkProblem
{
    public abstract string Name { get; }

    public abstract int Dimension { get; }

    public abstract double[] Reference { get; }

    public abstract double MaxHypervolume { get; }

    public int Objectives => Reference.Length;

    /// <summary>Objective values (minimization) at x in [0,1]^d.</summary>
    public abstract double[] Evaluate(double[] x);

    public static IReadOnlyList<BenchmarkProblem> All { get; } = new BenchmarkProblem[]
    {
        new Zdt(1), new Zdt(2), new Zdt(3), new Dtlz2(), new BraninCurrin(),
    };
}
