using DistillML.Tuning.Objectives;
using DistillML.Tuning.SearchSpace;
using DistillML.Tuning.Trials;
using DistillML.Tuning.Tuners;

namespace DistillML.Tuning.Tests.Tuners;

public class StudentSweepTests
{
    [Fact]
    public void Student_sweep_with_a_known_size_objective_and_size_cap_proposes_valid_students()
    {
        const double cap = 40e6;
        var problem = new TuningProblem(
            StudentSearchSpace.DistilBertLike(),
            new[] { Objective.Maximize("f1"), Objective.MinimizeKnown("params", p => StudentSearchSpace.ParameterCount(p)) },
            new[] { Constraint.KnownAtMost("param_cap", p => StudentSearchSpace.ParameterCount(p), cap) });
        var tuner = new MultiObjectiveBayesianTuner(problem, TestProblems.FastOptions(seed: 1));
        Assert.Equal(24, tuner.InitialDesignSize);

        // A synthetic F1: bigger and better-regularized students score higher.
        double F1(Parameter p) => 50 + 5 * Math.Log(StudentSearchSpace.ParameterCount(p) / 1e6)
            - 100 * Math.Pow(Math.Log10(p.GetDouble("learning_rate")) + 4, 2) - 20 * Math.Abs(p.GetDouble("dropout") - 0.1);
        var proposals = TestProblems.Run(tuner, 28, p => TrialResult.Completed(new TrialSettings(), new Dictionary<string, double> { ["f1"] = F1(p) }));

        Assert.All(proposals, p =>
        {
            Assert.True(StudentSearchSpace.ParameterCount(p) <= cap);
            Assert.Equal(0, StudentSearchSpace.Hidden(p) % p.GetInt32("heads"));
        });
        Assert.Equal(28, proposals.Distinct().Count());
    }

    [Fact]
    public void Tuner_falls_back_to_monte_carlo_ehvi_for_fronts_too_large_to_decompose()
    {
        var options = TestProblems.FastOptions() with { MaxExactBoxes = 1, MonteCarloSamples = 32 };
        var tuner = new MultiObjectiveBayesianTuner(TestProblems.TwoObjective(), options);
        var proposals = TestProblems.Run(tuner, 9);
        Assert.Equal(9, proposals.Distinct().Count());
    }
}
