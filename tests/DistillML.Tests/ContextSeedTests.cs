using DistillML.Experiments;
using Microsoft.ML;

namespace DistillML.Tests;

/// <summary>What is built from an <see cref="MLContext"/> takes its seed from it, as ML.NET's trainers do, unless the options fix one.</summary>
[Collection(TinyTeacherCollection.Name)]
public class ContextSeedTests(TinyTeacherFixture fixture)
{
    private DistillBertOptions Unseeded(int steps = 60)
    {
        var options = fixture.Options(steps);
        options.Seed = null;
        return options;
    }

    [Fact]
    public void A_seeded_context_fixes_the_estimators_seed_and_another_seed_changes_it()
    {
        int first = new MLContext(seed: 7).Transforms.DistillBert(fixture.Teacher, Unseeded()).Seed;
        Assert.Equal(first, new MLContext(seed: 7).Transforms.DistillBert(fixture.Teacher, Unseeded()).Seed);
        Assert.Equal(first, new MLContext(seed: 7).Transforms.DistillBert(fixture.TeacherDirectory, Unseeded()).Seed);
        Assert.NotEqual(first, new MLContext(seed: 8).Transforms.DistillBert(fixture.Teacher, Unseeded()).Seed);
    }

    [Fact]
    public void An_explicit_seed_wins_over_the_context()
    {
        var options = Unseeded();
        options.Seed = 5;
        Assert.Equal(5, new MLContext(seed: 7).Transforms.DistillBert(fixture.Teacher, options).Seed);
        var experiment = new MLContext(seed: 7).Distillation().CreateExperiment().SetOptions(new() { Seed = 5 });
        Assert.Equal(5, experiment.Seed);
    }

    [Fact]
    public void Fits_from_equally_seeded_contexts_repeat_their_loss_curve_and_another_seed_does_not()
    {
        IReadOnlyList<double> Curve(int contextSeed)
        {
            var ml = new MLContext(seed: contextSeed);
            using var student = ml.Transforms.DistillBert(fixture.Teacher, Unseeded(steps: 8)).Fit(ml.Data.LoadFromSquadExamples(fixture.Train));
            return student.TrainingReport.LossCurve.Select(p => p.Loss).ToList();
        }

        var first = Curve(7);
        Assert.Equal(first, Curve(7));
        Assert.NotEqual(first, Curve(8));
    }

    [Fact]
    public void An_experiment_takes_its_trials_and_tuners_seed_from_the_context()
    {
        int first = new MLContext(seed: 7).Distillation().CreateExperiment().Seed;
        Assert.Equal(first, new MLContext(seed: 7).Distillation().CreateExperiment().Seed);
        Assert.NotEqual(first, new MLContext(seed: 8).Distillation().CreateExperiment().Seed);
    }
}
