using System.CommandLine;
using DistillML.Experiments;
using DistillML.Text.Squad;
using DistillML.Torch.Modeling;
using DistillML.Torch.Teachers;
using DistillML.Torch.Training;
using DistillML.Tuning.Objectives;
using DistillML.Tuning.Pruners;
using DistillML.Tuning.Tuners;
using Microsoft.ML;

namespace DistillML.Cli.Sweeps;

/// <summary>
/// The options <c>sweep</c> and <c>worker</c> share, and the experiment they build. Defaults are sized for 2 cores and
/// the MiniLM teacher: 24 trials of 900 steps of 16 windows (256 tokens, stride 128, the teacher's windows) on 8,000
/// training questions, scored on 1,000 dev questions every 300 steps with size-aware median pruning; about 2 hours
/// (see <see cref="DefaultTrials"/> for how that was sized). <c>--full</c> switches to full-size settings for a GPU machine.
/// </summary>
internal sealed class SweepOptions
{
    public Option<DirectoryInfo> Squad { get; } = new("--data-dir") { Description = "Directory with train-v1.1.json and dev-v1.1.json.", Required = true };
    public Option<FileInfo> Vocab { get; } = new("--vocab") { Description = "BERT vocab.txt, for --teacher scratch (the demo teacher)." };
    public Option<string> Teacher { get; } = new("--teacher")
    {
        Description = "Teacher: a checkpoint directory, minilm (default: all-MiniLM-L6-v2 fine-tuned on SQuAD 1.1 by `distillml teacher`, " +
                      "trained once, " + Torch.Teachers.PretrainedTeacherOptions.DefaultCpuTime + ", and cached in --teacher-run), arctic-xs, or scratch (the demo teacher, needs --vocab).",
        DefaultValueFactory = _ => "minilm",
    };
    public Option<DirectoryInfo?> TeacherRun { get; } = new("--teacher-run") { Description = "Run directory of the teacher (as `distillml teacher --out`); default runs/teacher-NAME (runs/teacher for scratch)." };
    public Option<DirectoryInfo> Out { get; } = new("--out") { Description = "Output directory: trials, teacher-logit cache, store, report, best student.", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("runs", "sweep")) };
    public Option<string?> Store { get; } = new("--store") { Description = "Trial store: \"Data Source=FILE\" (SQLite) or \"Host=...;Database=...\" (PostgreSQL). Default: OUT/sweep.db." };
    public Option<string> Study { get; } = new("--study") { Description = "Study name; the same store and name resume it.", DefaultValueFactory = _ => "demo" };
    public Option<int?> Trials { get; } = new("--trials") { Description = "Trial budget of the study (24, about 2 hours on 2 cores with the MiniLM teacher; 40 with --full)." };
    public Option<double?> Minutes { get; } = new("--minutes") { Description = "Stop after this many minutes (the running trial stays resumable)." };
    public Option<int?> Steps { get; } = new("--steps") { Description = "Optimizer steps per trial (900; --full: 2 epochs)." };
    public Option<int?> EvaluateEvery { get; } = new("--eval-every") { Description = "Evaluate (and report to the pruner) every N steps (300; --full 2000)." };
    public Option<int?> TrainQuestions { get; } = new("--train-questions") { Description = "Training questions, evenly spread (8000; --full: all)." };
    public Option<int?> DevQuestions { get; } = new("--dev-questions") { Description = "Dev questions, evenly spread (1000; --full: all)." };
    public Option<int?> Sequence { get; } = new("--seq") { Description = "Window length (256, stride half of it; --full 384)." };
    public Option<int?> Batch { get; } = new("--batch") { Description = "Windows per step (16; --full 32)." };
    public Option<bool> Prune { get; } = new("--prune") { Description = "Median pruning on intermediate dev F1, each student compared with finished students no larger than it.", DefaultValueFactory = _ => true };
    public Option<bool> Latency { get; } = new("--latency") { Description = "Also minimise ONNX Runtime latency (measured on untrained models of each shape)." };
    public Option<double?> MaxParameterFraction { get; } = new("--max-param-fraction") { Description = "Students have at most this fraction of the teacher's parameters, e.g. 0.3." };
    public Option<int> Seed { get; } = new("--seed") { Description = "Seed of tuner and trials.", DefaultValueFactory = _ => TrainingDefaults.Seed };
    public Option<string?> Device { get; } = new("--device") { Description = "cpu or cuda (default: cuda when torch sees it)." };
    public Option<string> Tuner { get; } = new Option<string>("--tuner") { Description = "bayes (multi-objective Bayesian), random or sobol; the same seed and budget make the sweeps comparable.", DefaultValueFactory = _ => "bayes" }.AcceptOnlyFromAmong("bayes", "random", "sobol");
    public Option<string> TeacherLogits { get; } = new Option<string>("--teacher-logits") { Description = "cache (computed once, shared by every trial) or live (the teacher runs on every batch; the baseline for the cache's speed-up).", DefaultValueFactory = _ => "cache" }.AcceptOnlyFromAmong("cache", "live");
    public Option<bool> Full { get; } = new("--full") { Description = "Full-size experiment for a GPU machine: all questions, 384-token windows, 2 epochs per trial, 40 trials." };

    /// <summary>
    /// Trials of the default sweep, sized from two 12-trial pilots on 2 cores with the MiniLM teacher (bf16; Bayesian
    /// and random search, 450 steps each, evaluations every 150): their trials took 27 and 28 minutes in all (15 s to
    /// 5.5 min each: 5 min for the L3 H384 baseline, under a minute for L1 H128 students, 1-2 min for pruned ones), plus
    /// 1.5 min for the teacher's dev score and the teacher-logit cache (2 min, once). Doubling the steps to 900 (the
    /// students were still improving, narrow and random-init ones far from converged) and the trials to 24 gives about
    /// 2 hours.
    /// </summary>
    public const int DefaultTrials = 24;

    public IEnumerable<Option> All => [Squad, Vocab, Teacher, TeacherRun, Out, Store, Study, Trials, Minutes, Steps, EvaluateEvery, TrainQuestions, DevQuestions, Sequence, Batch, Prune, Latency, MaxParameterFraction, Seed, Device, Tuner, TeacherLogits, Full];

    /// <summary>Loads data and teacher and configures the experiment (not run).</summary>
    public (DistillationExperiment Experiment, BertQaModel Teacher, IReadOnlyList<SquadExample> Dev) Build(ParseResult parse, IMonitor monitor, Spectre.Console.IAnsiConsole monitorConsole, CancellationToken cancellationToken)
    {
        bool full = parse.GetValue(Full);
        string squad = parse.GetValue(Squad)!.FullName;
        var (trainAll, devAll) = SquadDirectory.Load(squad, squad2: false);
        var train = SquadSampling.EvenlySpread(trainAll, parse.GetValue(TrainQuestions) ?? (full ? int.MaxValue : 8000));
        var dev = SquadSampling.EvenlySpread(devAll, parse.GetValue(DevQuestions) ?? (full ? int.MaxValue : 1000));
        var teacher = LoadTeacher(parse, squad, monitorConsole, cancellationToken);
        int seq = Math.Min(parse.GetValue(Sequence) ?? (full ? 384 : 256), teacher.Config.MaxPositionEmbeddings);
        string outDir = parse.GetValue(Out)!.FullName;
        var experiment = new MLContext(parse.GetValue(Seed)).Distillation().CreateExperiment()
            .SetTeacher(teacher)
            .SetData(train, dev)
            .SetStudyName(parse.GetValue(Study)!)
            .SetTrialBudget(parse.GetValue(Trials) ?? (full ? 40 : DefaultTrials))
            .SetObjectives(parse.GetValue(Latency) ? StudentObjectives.Default | StudentObjectives.Latency : StudentObjectives.Default)
            .SetMonitor(monitor)
            .SetOptions(new DistillationExperimentOptions
            {
                OutputDirectory = outDir, MaxSequenceLength = seq, DocStride = seq / 2, MaxQueryLength = Math.Min(64, seq / 3),
                MaxStepsPerTrial = full ? parse.GetValue(Steps) : parse.GetValue(Steps) ?? 900, Epochs = 2,
                BatchSize = parse.GetValue(Batch) ?? (full ? 32 : 16), EvaluateEverySteps = parse.GetValue(EvaluateEvery) ?? (full ? 2000 : 300),
                Seed = parse.GetValue(Seed), Device = parse.GetValue(Device), UseTeacherLogitCache = parse.GetValue(TeacherLogits) != "live",
            });
        int seed = parse.GetValue(Seed);
        switch (parse.GetValue(Tuner))
        {
            case "random": experiment.SetTuner(problem => new RandomTuner(problem, seed)); break;
            case "sobol": experiment.SetTuner(problem => new SobolTuner(problem, seed)); break;
        }
        if (parse.GetValue(Store) is { } store) experiment.SetStore(store);
        if (parse.GetValue(Minutes) is { } minutes) experiment.SetTimeBudget(TimeSpan.FromMinutes(minutes));
        if (parse.GetValue(MaxParameterFraction) is { } fraction) experiment.SetMaxParameterFraction(fraction);
        // One peer is enough: a student is compared only with finished students no larger than it, so one that is behind
        // them at the same step is dominated there; waiting for 3 such peers let random-init students of the initial
        // design run their whole budget at F1 near 5 (measured on the MiniLM teacher).
        if (parse.GetValue(Prune)) experiment.SetMedianPruning(startupTrials: 1);
        return (experiment, teacher, dev);
    }

    private BertQaModel LoadTeacher(ParseResult parse, string squad, Spectre.Console.IAnsiConsole console, CancellationToken cancellationToken)
    {
        string source = parse.GetValue(Teacher)!;
        var device = parse.GetValue(Device) is { } d ? Torch.TorchDevice.Resolve(d) : null;
        if (source == "scratch")
        {
            var vocab = parse.GetValue(Vocab) ?? throw new ArgumentException("--teacher scratch needs --vocab FILE (bert-base-uncased vocab.txt) to train (or reuse) the demo teacher.");
            return DemoTeacher.LoadOrTrain(squad, vocab.FullName, parse.GetValue(TeacherRun)?.FullName ?? Path.Combine("runs", "teacher"),
                new DemoTeacherOptions { Device = parse.GetValue(Device) }, null, cancellationToken);
        }
        return Commands.TeacherCommand.LoadOrTrain(console, source, squad, parse.GetValue(TeacherRun)?.FullName, device, cancellationToken);
    }
}
