using DistillML.Tuning.Objectives;
using DistillML.Tuning.SearchSpace;
using DistillML.Tuning.Trials;
using DistillML.Tuning.Tuners;

namespace TunerBench;

/// <summary>Runs our tuners on a benchmark problem and returns every evaluated objective vector in order.</summary>
public static class Runners
{
    public static TuningProblem ToTuningProblem(BenchmarkProblem problem)
    {
        var builder = SearchSpace.Create();
        for (var i = 0; i < problem.Dimension; i++)
        {
            builder.AddFloat($"x{i}", 0, 1);
        }

        var objectives = Enumerable.Range(0, problem.Objectives)
            .Select(j => Objective.Minimize($"f{j}", referenceValue: problem.Reference[j]));
        return new TuningProblem(builder.Build(), objectives);
    }

    public static double[] Point(BenchmarkProblem problem, Parameter p) =>
        Enumerable.Range(0, problem.Dimension).Select(i => p.GetDouble($"x{i}")).ToArray();

    public static List<double[]> Run(BenchmarkProblem problem, ITuner tuner, int budget)
    {
        var values = new List<double[]>(budget);
        for (var t = 0; t < budget; t++)
        {
            var settings = new TrialSettings { TrialId = t };
            var p = tuner.Propose(settings);
            var y = problem.Evaluate(Point(problem, p));
            values.Add(y);
            tuner.Update(TrialResult.Completed(settings, Enumerable.Range(0, y.Length).ToDictionary(j => $"f{j}", j => y[j])));
        }

        return values;
    }
}
