using DistillML.Tuning.Objectives;
using DistillML.Tuning.Pareto;
using DistillML.Tuning.SearchSpace;
using DistillML.Tuning.Trials;
using DistillML.Tuning.Tuners;

namespace DistillML.Tuning.Tests.Tuners;

public class MultiObjectiveBayesianTunerTests
{
    [Fact]
    public void Initial_design_has_two_times_d_plus_one_points()
    {
        var tuner = new MultiObjectiveBayesianTuner(TestProblems.TwoObjective());
        Assert.Equal(6, tuner.InitialDesignSize);
    }

    [Fact]
    public void Same_seed_gives_exactly_the_same_proposals()
    {
        var a = TestProblems.Run(new MultiObjectiveBayesianTuner(TestProblems.TwoObjective(), TestProblems.FastOptions(seed: 4)), 10);
        var b = TestProblems.Run(new MultiObjectiveBayesianTuner(TestProblems.TwoObjective(), TestProblems.FastOptions(seed: 4)), 10);
        var c = TestProblems.Run(new MultiObjectiveBayesianTuner(TestProblems.TwoObjective(), TestProblems.FastOptions(seed: 5)), 10);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Tuner_rebuilt_by_replaying_history_proposes_what_the_original_would()
    {
        var problem = TestProblems.TwoObjective();
        var original = new MultiObjectiveBayesianTuner(problem, TestProblems.FastOptions(seed: 1));
        TestProblems.Run(original, 9);
        var resumed = new MultiObjectiveBayesianTuner(problem, TestProblems.FastOptions(seed: 1)).Replay(original.History.Results);
        Assert.Equal(original.Propose(new TrialSettings { TrialId = 9 }), resumed.Propose(new TrialSettings { TrialId = 9 }));
    }

    [Fact]
    public void Sample_is_a_function_of_the_snapshot_whatever_the_sampler_saw_before()
    {
        var problem = TestProblems.TwoObjective();
        var original = new MultiObjectiveBayesianTuner(problem, TestProblems.FastOptions(seed: 1));
        TestProblems.Run(original, 9);
        var snapshot = original.History.Snapshot();
        var expected = original.Propose(new TrialSettings { TrialId = 9 });

        var sampler = new MultiObjectiveBayesianTuner(problem, TestProblems.FastOptions(seed: 1));
        Assert.Equal(expected, sampler.Sample(snapshot, 9));
        sampler.Sample(StudySnapshot.Empty, 0);                                  // other studies in between
        sampler.Sample(new StudySnapshot(snapshot.Finished.Take(7), []), 7);
        Assert.Equal(expected, sampler.Sample(snapshot, 9));                     // the cached fits give the same proposal
        Assert.Empty(sampler.History.Results);                                   // sampling records nothing
        var withPending = new StudySnapshot(snapshot.Finished, [KeyValuePair.Create(9, expected)]);
        Assert.NotEqual(expected, sampler.Sample(withPending, 10));              // a pending point is avoided
    }

    [Fact]
    public void Two_proposals_while_the_first_is_pending_differ_and_avoid_each_other()
    {
        var tuner = new MultiObjectiveBayesianTuner(TestProblems.TwoObjective(), TestProblems.FastOptions());
        TestProblems.Run(tuner, 8);
        var first = tuner.Propose(new TrialSettings { TrialId = 8 });
        var second = tuner.Propose(new TrialSettings { TrialId = 9 });
        Assert.NotEqual(first, second);
        Assert.Equal(2, tuner.History.Pending.Count);
        var distance = Math.Abs(first.GetDouble("x") - second.GetDouble("x")) + Math.Abs(first.GetDouble("y") - second.GetDouble("y"));
        Assert.True(distance > 1e-3, $"pending-aware proposals collided: {first} vs {second}");
    }

    [Fact]
    public void Failed_trials_steer_proposals_away_from_their_region()
    {
        // Everything with x > 0.6 fails; after the design, few proposals should land there.
        var tuner = new MultiObjectiveBayesianTuner(TestProblems.TwoObjective(), TestProblems.FastOptions(seed: 2));
        var proposals = TestProblems.Run(tuner, 20, p => p.GetDouble("x") > 0.6
            ? TrialResult.Failed(new TrialSettings())
            : TrialResult.Completed(new TrialSettings(), TestProblems.Evaluate(p)));
        var modelled = proposals.Skip(tuner.InitialDesignSize).ToList();
        var inFailedRegion = modelled.Count(p => p.GetDouble("x") > 0.6);
        Assert.True(inFailedRegion <= 3, $"{inFailedRegion} of {modelled.Count} modelled proposals in the failing region");
    }

    [Fact]
    public void Pruned_trials_steer_proposals_away_from_their_region_through_the_value_they_reported()
    {
        // A sweep's shape: a black-box score to maximize against a known size. Every trial with x > 0.5 is pruned
        // early at a low partial score; the tuner must learn from those values that the region is poor.
        var space = Tuning.SearchSpace.SearchSpace.Create().AddFloat("x", 0, 1).AddInteger("size", 1, 8).Build();
        var problem = new TuningProblem(space, new[]
        {
            Objective.Maximize("score"),
            Objective.MinimizeKnown("size", p => p.GetInt32("size")),
        });
        double Score(Parameter p) => p.GetInt32("size") * (1 + p.GetDouble("x"));
        int InPrunedRegion(bool reportValue)
        {
            var tuner = new MultiObjectiveBayesianTuner(problem, TestProblems.FastOptions(seed: 2));
            var proposals = TestProblems.Run(tuner, 24, p => p.GetDouble("x") > 0.5
                ? TrialResult.Pruned(new TrialSettings(), reportValue ? new Dictionary<string, double> { ["score"] = 0.1 * Score(p) } : null)
                : TrialResult.Completed(new TrialSettings(), new Dictionary<string, double> { ["score"] = Score(p) }));
            return proposals.Skip(tuner.InitialDesignSize).Count(p => p.GetDouble("x") > 0.5);
        }

        var withValues = InPrunedRegion(reportValue: true);
        var withoutValues = InPrunedRegion(reportValue: false);
        Assert.True(withValues <= 4, $"{withValues} modelled proposals in the pruned region");
        Assert.True(withoutValues > withValues, $"pruned trials without a value: {withoutValues}, with: {withValues}");
    }

    [Fact]
    public void Known_constraints_are_never_violated_by_a_proposal()
    {
        var problem = TestProblems.TwoObjective(new[] { Constraint.KnownAtMost("x+y", p => p.GetDouble("x") + p.GetDouble("y"), 0.8) });
        var proposals = TestProblems.Run(new MultiObjectiveBayesianTuner(problem, TestProblems.FastOptions()), 14);
        Assert.All(proposals, p => Assert.True(p.GetDouble("x") + p.GetDouble("y") <= 0.8, p.ToString()));
    }

    [Fact]
    public void Black_box_constraints_concentrate_proposals_in_the_feasible_region()
    {
        // Feasible only when the "cost" metric x <= 0.4 (the tuner must learn it).
        var problem = TestProblems.TwoObjective(new[] { Constraint.AtMost("cost", 0.4) });
        var tuner = new MultiObjectiveBayesianTuner(problem, TestProblems.FastOptions(seed: 3));
        var proposals = TestProblems.Run(tuner, 18, p =>
        {
            var m = TestProblems.Evaluate(p);
            m["cost"] = p.GetDouble("x");
            return TrialResult.Completed(new TrialSettings(), m);
        });
        var modelled = proposals.Skip(tuner.InitialDesignSize).ToList();
        Assert.True(modelled.Count(p => p.GetDouble("x") <= 0.45) >= modelled.Count - 3,
            string.Join(", ", modelled.Select(p => p.GetDouble("x").ToString("F2"))));
    }

    [Fact]
    public void Known_objective_is_computed_from_the_parameter_and_not_read_from_metrics()
    {
        var space = Tuning.SearchSpace.SearchSpace.Create().AddFloat("x", 0, 1).AddInteger("size", 1, 8).Build();
        var problem = new TuningProblem(space, new[]
        {
            Objective.Maximize("score"),
            Objective.MinimizeKnown("params", p => p.GetInt32("size")),
        });
        var tuner = new MultiObjectiveBayesianTuner(problem, TestProblems.FastOptions());
        var proposals = TestProblems.Run(tuner, 12, p => TrialResult.Completed(new TrialSettings(),
            new Dictionary<string, double> { ["score"] = Math.Log(p.GetInt32("size")) - Math.Pow(p.GetDouble("x") - 0.3, 2) }));
        Assert.Equal(12, proposals.Count);
        var vector = problem.ObjectiveVector(tuner.History.Results[^1])!;
        Assert.Equal(proposals[^1].GetInt32("size"), vector[1]);
    }

    [Fact]
    public void Modelled_proposals_improve_the_hypervolume_over_the_design()
    {
        var problem = TestProblems.TwoObjective();
        var tuner = new MultiObjectiveBayesianTuner(problem, TestProblems.FastOptions(seed: 7));
        TestProblems.Run(tuner, 16);
        double Hv(IEnumerable<TrialResult> rs) => Hypervolume.Compute(rs.Select(r => problem.ObjectiveVector(r)!), new[] { 1.2, 2.0 });
        var afterDesign = Hv(tuner.History.Results.Take(tuner.InitialDesignSize));
        var afterModel = Hv(tuner.History.Results);
        Assert.True(afterModel > afterDesign + 0.02, $"design {afterDesign}, modelled {afterModel}");
    }
}
