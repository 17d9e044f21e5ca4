using DistillML.Tuning.Trials;
using DistillML.Tuning.Tuners;

namespace DistillML.Tuning.Tests.Tuners;

public class DesignTunerTests
{
    [Fact]
    public void Random_tuner_proposal_depends_only_on_seed_and_trial_id()
    {
        var space = TestProblems.TwoObjective().Space;
        var a = new RandomTuner(space, seed: 3);
        var b = new RandomTuner(space, seed: 3);
        var p5 = a.Propose(new TrialSettings { TrialId = 5 });
        b.Propose(new TrialSettings { TrialId = 1 });
        Assert.Equal(p5, b.Propose(new TrialSettings { TrialId = 5 }));
        Assert.NotEqual(p5, new RandomTuner(space, seed: 4).Propose(new TrialSettings { TrialId = 5 }));
    }

    [Fact]
    public void Sobol_tuner_gives_concurrent_workers_distinct_design_points()
    {
        var tuner = new SobolTuner(TestProblems.TwoObjective().Space, seed: 1);
        var proposals = Enumerable.Range(0, 8).Select(i => tuner.Propose(new TrialSettings { TrialId = i })).ToList();
        Assert.Equal(8, proposals.Distinct().Count());
        Assert.Equal(8, tuner.History.Pending.Count);
        tuner.Update(TrialResult.Completed(new TrialSettings { TrialId = 0, Parameter = proposals[0] }, TestProblems.Evaluate(proposals[0])));
        Assert.Equal(7, tuner.History.Pending.Count);
    }

    [Fact]
    public void Proposal_is_written_into_the_trial_settings()
    {
        var settings = new TrialSettings { TrialId = 2 };
        var p = new SobolTuner(TestProblems.TwoObjective().Space).Propose(settings);
        Assert.Same(p, settings.Parameter);
    }
}

public class ConfigurableTunerTests
{
    [Fact]
    public void Tuners_created_without_a_problem_propose_after_configure_and_refuse_before()
    {
        var problem = TestProblems.TwoObjective();
        foreach (IConfigurableTuner tuner in new IConfigurableTuner[] { new RandomTuner(), new SobolTuner(), new MultiObjectiveBayesianTuner() })
        {
            Assert.False(tuner.IsConfigured);
            Assert.Throws<InvalidOperationException>(() => tuner.Propose(new TrialSettings()));
            tuner.Configure(problem);
            Assert.True(tuner.IsConfigured);
            Assert.Equal(2, tuner.Propose(new TrialSettings()).Count);
            Assert.Throws<InvalidOperationException>(() => tuner.Configure(problem));
        }
    }
}

public class BaselineConstraintTests
{
    // x + y <= 0.5 keeps an eighth of the unit square: unconstrained draws would violate it most of the time.
    static Objectives.TuningProblem Constrained() =>
        TestProblems.TwoObjective(new[] { Objectives.Constraint.KnownAtMost("x+y", p => p.GetDouble("x") + p.GetDouble("y"), 0.5) });

    [Fact]
    public void Random_tuner_respects_known_constraints_and_stays_deterministic()
    {
        var problem = Constrained();
        var tuner = new RandomTuner(problem, seed: 5);
        var proposals = Enumerable.Range(0, 100).Select(i => tuner.Propose(new TrialSettings { TrialId = i })).ToList();
        Assert.All(proposals, p => Assert.True(problem.SatisfiesKnownConstraints(p), $"{p.GetDouble("x")} + {p.GetDouble("y")}"));
        Assert.Equal(100, proposals.Distinct().Count());
        Assert.Equal(proposals[17], new RandomTuner(problem, seed: 5).Propose(new TrialSettings { TrialId = 17 }));
    }

    [Fact]
    public void Sobol_tuner_takes_consecutive_feasible_design_points()
    {
        var problem = Constrained();
        var tuner = new SobolTuner(problem, seed: 2);
        var proposals = Enumerable.Range(0, 40).Select(i => tuner.Propose(new TrialSettings { TrialId = i })).ToList();
        Assert.All(proposals, p => Assert.True(problem.SatisfiesKnownConstraints(p)));
        Assert.Equal(40, proposals.Distinct().Count());
    }

    [Fact]
    public void Configured_baselines_get_the_constraints_too()
    {
        var problem = Constrained();
        foreach (IConfigurableTuner tuner in new IConfigurableTuner[] { new RandomTuner(seed: 1), new SobolTuner(seed: 1) })
        {
            tuner.Configure(problem);
            for (int i = 0; i < 20; i++) Assert.True(problem.SatisfiesKnownConstraints(tuner.Propose(new TrialSettings { TrialId = i })));
        }
    }
}
