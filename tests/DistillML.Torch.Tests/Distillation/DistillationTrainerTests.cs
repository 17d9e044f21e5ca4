using System.Diagnostics;
using DistillML.Torch.Distillation;
using DistillML.Torch.Modeling;
using DistillML.Torch.QuestionAnswering;
using DistillML.Torch.Training;
using TorchSharp;
using Xunit.Abstractions;

namespace DistillML.Torch.Tests.Distillation;

/// <summary>A tiny teacher fine-tuned once on a few hundred real SQuAD questions, shared by the trainer tests.</summary>
public sealed class TrainedTinyTeacher : IDisposable
{
    public TrainedTinyTeacher()
    {
        Model = TinyModels.Untrained(1);
        new BertQaTrainer(TinyModels.Featurizer.Value, new BertQaTrainerOptions
        {
            MaxSteps = 100, BatchSize = 16, Seed = 3, Optimization = new TrainingLoopOptions { LearningRate = 2e-3, WarmupFraction = 0.05 },
        }).Train(Model, TinyModels.Train.Value);
    }

    public BertQaModel Model { get; }

    public void Dispose() => Model.Dispose();
}

public sealed class DistillationTrainerTests(TrainedTinyTeacher teacher, ITestOutputHelper output) : IClassFixture<TrainedTinyTeacher>, IDisposable
{
    readonly string root = Path.Combine(Path.GetTempPath(), $"distill-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    static BertQaModel Student(BertQaModel teacher, int seed = 7) =>
        StudentInitializer.Create(teacher, TinyModels.Config(1, 32, 2, 64, ModelFamily.DistilBert), StudentInitialization.Random, seed);

    internal static DistillationOptions Options(int steps, double alphaCe = 0.5) => new()
    {
        MaxSteps = steps, BatchSize = 16, Seed = 5, Temperature = 2, AlphaCe = alphaCe, AlphaSquad = 1 - alphaCe,
        Optimization = new TrainingLoopOptions { LearningRate = 3e-3, WarmupFraction = 0.05 },
    };

    [Fact]
    public void Distilled_student_agrees_with_the_teachers_spans_far_more_than_untrained()
    {
        var questions = TinyModels.Train.Value;
        using var student = Student(teacher.Model);
        var before = TeacherAgreement.Measure(teacher.Model, student, TinyModels.Featurizer.Value, questions);
        var report = new DistillationTrainer(TinyModels.Featurizer.Value, Options(120)).Train(teacher.Model, student, questions);
        var after = TeacherAgreement.Measure(teacher.Model, student, TinyModels.Featurizer.Value, questions);
        output.WriteLine($"agreement before: windows {before.WindowArgmax:F1}%, answers EM {before.AnswerExact:F1} F1 {before.AnswerF1:F1}; " +
            $"after {report.Steps} steps: windows {after.WindowArgmax:F1}%, EM {after.AnswerExact:F1} F1 {after.AnswerF1:F1}; {report.WindowsPerSecond:F0} windows/s");
        Assert.True(after.AnswerF1 > before.AnswerF1 + 20, $"answer F1 vs teacher {before.AnswerF1:F1} -> {after.AnswerF1:F1}");
        Assert.True(after.WindowArgmax > before.WindowArgmax + 15, $"window argmax agreement {before.WindowArgmax:F1} -> {after.WindowArgmax:F1}");
        Assert.True(report.LossCurve.TakeLast(10).Average(p => p.Loss) < report.LossCurve.Take(10).Average(p => p.Loss));
    }

    [Fact]
    public void Cached_and_in_memory_teacher_logits_train_the_same_student()
    {
        var questions = TinyModels.Train.Value.Take(60).ToList();
        var options = Options(6) with { TeacherCacheDirectory = root };
        // No dropout and copied weights: the comparison must not depend on torch's global generator, which parallel tests share.
        using var a = StudentInitializer.Create(teacher.Model, TinyModels.Config(1, 32, 2, 64, ModelFamily.DistilBert, dropout: 0), StudentInitialization.Random, 7);
        using var b = TinyModels.Clone(a);
        using var c = TinyModels.Clone(a);
        var first = new DistillationTrainer(TinyModels.Featurizer.Value, options).Train(teacher.Model, a, questions);
        var second = new DistillationTrainer(TinyModels.Featurizer.Value, options).Train(teacher.Model, b, questions);
        var live = new DistillationTrainer(TinyModels.Featurizer.Value, options with { TeacherCacheDirectory = null, LiveTeacher = true }).Train(teacher.Model, c, questions);
        Assert.False(first.TeacherCacheHit);
        Assert.True(second.TeacherCacheHit);
        Assert.Equal(first.LossCurve, second.LossCurve);
        for (int i = 0; i < live.LossCurve.Count; i++) Assert.Equal(live.LossCurve[i].Loss, first.LossCurve[i].Loss, 2); // float16 cache
    }

    [Fact]
    public void Validation_runs_every_n_steps_and_the_best_weights_are_kept()
    {
        var questions = TinyModels.Train.Value.Take(60).ToList();
        using var student = Student(teacher.Model);
        var report = new DistillationTrainer(TinyModels.Featurizer.Value, Options(12) with { EvaluateEverySteps = 4 })
            .Train(teacher.Model, student, questions, validation: questions.Take(20).ToList());
        Assert.Equal([4, 8, 12], report.Evaluations.Select(e => e.Step));
        var now = new BertQaPredictor(student, TinyModels.Featurizer.Value).Evaluate(questions.Take(20).ToList());
        Assert.Equal(report.Best!.Metrics.F1, now.F1, 6);
    }

    [Fact]
    public void Labels_only_training_never_runs_the_teacher()
    {
        using var student = Student(teacher.Model);
        var report = new DistillationTrainer(TinyModels.Featurizer.Value, Options(3, alphaCe: 0) with { TeacherCacheDirectory = root })
            .Train(teacher.Model, student, TinyModels.Train.Value.Take(20).ToList());
        Assert.Null(report.TeacherCachePath);
        Assert.False(Directory.Exists(root) && Directory.EnumerateFiles(root).Any());
    }

    [Fact]
    public void Mismatched_vocabularies_are_refused_naming_both_sizes()
    {
        torch.manual_seed(1);
        using var other = new BertQaModel(TinyModels.Config(1, 32, 2, 64) with { VocabSize = 1000 });
        var e = Assert.Throws<ArgumentException>(() => new DistillationTrainer(TinyModels.Featurizer.Value, Options(1)).Train(teacher.Model, other, TinyModels.Train.Value.Take(5).ToList()));
        Assert.Contains("1000", e.Message);
    }

    [Fact]
    public void Cancellation_stops_between_steps()
    {
        using var student = Student(teacher.Model);
        using var cts = new CancellationTokenSource();
        var progress = new SynchronousProgress(p => { if (p.Phase == "distill" && p.Step >= 2) cts.Cancel(); });
        Assert.Throws<OperationCanceledException>(() => new DistillationTrainer(TinyModels.Featurizer.Value, Options(50) with { Optimization = new TrainingLoopOptions { ReportEvery = 1 } })
            .Train(teacher.Model, student, TinyModels.Train.Value.Take(40).ToList(), progress: progress, cancellationToken: cts.Token));
    }

    [Fact]
    [Trait("Category", "Long")]
    public void Precomputed_teacher_logits_speed_up_each_student()
    {
        // Speed only: an untrained teacher of the demo teacher's shape (L4/H256) and a DistilBERT-style student half its size.
        var questions = TinyModels.Train.Value;
        using var big = TinyModels.Untrained(1, layers: 4, hidden: 256);
        BertQaModel MakeStudent() => StudentInitializer.Create(big, TinyModels.Config(2, 128, 4, 512, ModelFamily.DistilBert), StudentInitialization.Random, 7);
        var options = Options(15) with { TeacherCacheDirectory = root };
        var build = Stopwatch.StartNew();
        using (var warm = MakeStudent()) new DistillationTrainer(TinyModels.Featurizer.Value, options with { MaxSteps = 1 }).Train(big, warm, questions);
        build.Stop();
        double Time(DistillationOptions o)
        {
            using var s = MakeStudent();
            var clock = Stopwatch.StartNew();
            var report = new DistillationTrainer(TinyModels.Featurizer.Value, o).Train(big, s, questions);
            if (o.TeacherCacheDirectory is not null) Assert.True(report.TeacherCacheHit);
            return clock.Elapsed.TotalSeconds;
        }
        var live = new List<double>();
        var cached = new List<double>();
        for (int round = 0; round < 2; round++) // interleaved, best of two: the machine is shared
        {
            live.Add(Time(options with { LiveTeacher = true, TeacherCacheDirectory = null }));
            cached.Add(Time(options));
        }
        output.WriteLine($"{TinyModels.Featurizer.Value.Featurize(questions).Count()} windows; cache build (teacher over every window + 1 step) {build.Elapsed.TotalSeconds:F1}s; " +
            $"15 steps with a live teacher {live.Min():F2}s, from the cache {cached.Min():F2}s: {live.Min() / cached.Min():F2}x per student");
        Assert.True(cached.Min() < live.Min());
    }

    sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}

/// <summary>
/// Fits sharing one teacher at once. Alone, not beside other test classes: its noise hammers torch's global generator,
/// which the other classes' tests seed with <c>torch.manual_seed</c> and expect to repeat.
/// </summary>
[Collection(nameof(ConcurrentFitsCollection))]
public sealed class ConcurrentDistillationTests(TrainedTinyTeacher teacher) : IClassFixture<TrainedTinyTeacher>
{
    [Fact]
    // The two fits run the shared teacher in different precisions at the same time: each fit's precision is scoped to
    // its own flow, or one would switch the other's teacher mid-forward (bf16 activations meeting float32 weights).
    public async Task A_fit_with_dropout_repeats_exactly_while_another_fit_on_the_same_teacher_and_torchs_global_generator_run_beside_it()
    {
        var questions = TinyModels.Train.Value.Take(48).ToList();
        IReadOnlyList<double> Fit(int seed)
        {
            // Random init and dropout 0.1 everywhere: both draw from the fit's own generators, not torch's global one.
            using var student = StudentInitializer.Create(teacher.Model, TinyModels.Config(1, 32, 2, 64, ModelFamily.DistilBert, dropout: 0.1), StudentInitialization.Random, seed);
            var precision = seed == 11 ? Precision.BFloat16Mixed : Precision.Float32;
            return new DistillationTrainer(TinyModels.Featurizer.Value, DistillationTrainerTests.Options(6) with { Seed = seed, Precision = precision }).Train(teacher.Model, student, questions)
                .LossCurve.Select(p => p.Loss).ToList();
        }

        var alone = Fit(11);
        using var stop = new CancellationTokenSource();
        var noise = Task.Run(() => { while (!stop.IsCancellationRequested) torch.rand(64).Dispose(); }); // someone else using the global generator
        var together = await Task.WhenAll(Task.Run(() => Fit(11)), Task.Run(() => Fit(12)));
        await stop.CancelAsync();
        await noise;

        Assert.Equal(alone, together[0]);
        Assert.NotEqual(alone, together[1]);
    }
}

/// <summary>Tests that run alone, not beside other test classes.</summary>
[CollectionDefinition(nameof(ConcurrentFitsCollection), DisableParallelization = true)]
public sealed class ConcurrentFitsCollection
{
}
