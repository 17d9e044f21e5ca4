using System.Diagnostics;
using DistillML.Text.Decoding;
using DistillML.Text.Features;
using DistillML.Text.Squad;
using DistillML.Torch;
using DistillML.Torch.Modeling;
using DistillML.Torch.QuestionAnswering;
using DistillML.Tuning.Objectives;
using DistillML.Tuning.Pruners;
using DistillML.Tuning.SearchSpace;
using DistillML.Tuning.Storage;
using DistillML.Tuning.Storage.Workers;
using DistillML.Tuning.Tuners;
using Microsoft.ML;
using TorchSharp;

namespace DistillML.Experiments;

/// <summary>
/// A distillation sweep, shaped like ML.NET AutoML's experiment: set a teacher and data, optionally the search space,
/// tuner, objectives, constraints, budgets, pruner, monitor and store, then <see cref="RunAsync"/>. Each trial distils
/// a student with the tuner's proposal, reports dev F1 to the pruner, is exported to ONNX and recorded in the trial
/// store; the result is every trial and the Pareto front.
/// </summary>
/// <remarks>
/// Trials are claimed through the store (<see cref="TrialWorker"/>), so several processes or machines running the
/// same experiment, or <c>distillml worker</c>, share one study; running it again with the same store and study
/// name resumes it (finished trials are kept and replayed into the tuner, trials of dead workers are retried). The
/// trial budget counts the study's trials, not this run's.
/// </remarks>
public sealed class DistillationExperiment
{
    private BertQaModel? teacher;
    private string? teacherDirectory;
    private IReadOnlyList<SquadExample>? train, dev;
    private IDataView? trainView, devView;
    private SearchSpace? space;
    private ITuner? tuner;
    private Func<TuningProblem, ITuner>? tunerFactory;
    private StudentObjectives builtIn = StudentObjectives.Default;
    private IReadOnlyList<Objective>? customObjectives;
    private readonly List<Constraint> constraints = [];
    private double? maxParameterFraction;
    private int? trialBudget;
    private TimeSpan? timeBudget;
    private IPruner? pruner;
    private BertConfig? runTeacher; // the running teacher's config, which turns a trial's parameters into its student's size
    private IMonitor monitor = NullMonitor.Instance;
    private string? store;
    private string studyName = "distillation";

    private readonly int contextSeed; // drawn from the MLContext when the experiment was made

    internal DistillationExperiment(MLContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        contextSeed = ContextSeed.Draw(context);
    }

    /// <summary>The seed of the trials and the default tuner: <see cref="DistillationExperimentOptions.Seed"/>, or the one drawn from the MLContext when that is null.</summary>
    public int Seed => Options.Seed ?? contextSeed;

    /// <summary>The per-trial settings (windows, steps, evaluation cadence, output directory); change them in place or with <see cref="SetOptions"/>.</summary>
    public DistillationExperimentOptions Options { get; private set; } = new();

    /// <summary>
    /// The teacher to distil; it needs its vocabulary (<see cref="BertQaModel.VocabularyPath"/>). It stays the caller's:
    /// a run puts it in evaluation mode and moves it to <see cref="DistillationExperimentOptions.Device"/> when that names another device.
    /// </summary>
    public DistillationExperiment SetTeacher(BertQaModel teacher)
    {
        this.teacher = teacher ?? throw new ArgumentNullException(nameof(teacher));
        teacherDirectory = null;
        return this;
    }

    /// <summary>The teacher's checkpoint directory (config.json, model.safetensors, vocab.txt), loaded when a run starts and released when it ends.</summary>
    public DistillationExperiment SetTeacher(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        teacherDirectory = directory;
        teacher = null;
        return this;
    }

    /// <summary>Training and dev data with the SQuAD columns of <c>LoadFromSquadJson</c> (Id, Context, Question, Answers, AnswerStarts, IsImpossible).</summary>
    public DistillationExperiment SetData(IDataView train, IDataView dev)
    {
        (trainView, devView) = (train ?? throw new ArgumentNullException(nameof(train)), dev ?? throw new ArgumentNullException(nameof(dev)));
        (this.train, this.dev) = (null, null);
        return this;
    }

    /// <summary>Training and dev questions.</summary>
    public DistillationExperiment SetData(IReadOnlyList<SquadExample> train, IReadOnlyList<SquadExample> dev)
    {
        (this.train, this.dev) = (train ?? throw new ArgumentNullException(nameof(train)), dev ?? throw new ArgumentNullException(nameof(dev)));
        (trainView, devView) = (null, null);
        return this;
    }

    /// <summary>The student space (names as <see cref="StudentTrialSettings"/> reads them). Default <see cref="StudentSearchSpaces.ScaledTo"/> the teacher.</summary>
    public DistillationExperiment SetSearchSpace(SearchSpace searchSpace)
    {
        space = searchSpace ?? throw new ArgumentNullException(nameof(searchSpace));
        return this;
    }

    /// <summary>
    /// The tuner. An <see cref="IConfigurableTuner"/> that has no problem yet is configured with the experiment's. Default
    /// <see cref="MultiObjectiveBayesianTuner"/> seeded with <see cref="Seed"/>.
    /// </summary>
    public DistillationExperiment SetTuner(ITuner tuner)
    {
        this.tuner = tuner ?? throw new ArgumentNullException(nameof(tuner));
        tunerFactory = null;
        return this;
    }

    /// <summary>Makes a fresh tuner for every proposal from the experiment's problem (what separate workers do).</summary>
    public DistillationExperiment SetTuner(Func<TuningProblem, ITuner> factory)
    {
        tunerFactory = factory ?? throw new ArgumentNullException(nameof(factory));
        tuner = null;
        return this;
    }

    /// <summary>Which built-in objectives to optimise. Default F1 and parameters.</summary>
    public DistillationExperiment SetObjectives(StudentObjectives objectives)
    {
        if (objectives == 0) throw new ArgumentException("Choose at least one objective.", nameof(objectives));
        builtIn = objectives;
        customObjectives = null;
        return this;
    }

    /// <summary>Custom objectives: black-box ones name a metric of <see cref="StudentMetrics"/>; known ones compute from the parameter.</summary>
    public DistillationExperiment SetObjectives(params Objective[] objectives)
    {
        ArgumentNullException.ThrowIfNull(objectives);
        if (objectives.Length == 0) throw new ArgumentException("Give at least one objective.", nameof(objectives));
        customObjectives = objectives;
        return this;
    }

    /// <summary>Constraints on metrics (black-box) or on the parameter (known: never proposed when violated).</summary>
    public DistillationExperiment SetConstraints(params Constraint[] constraints)
    {
        ArgumentNullException.ThrowIfNull(constraints);
        this.constraints.Clear();
        this.constraints.AddRange(constraints);
        return this;
    }

    /// <summary>Students may have at most this fraction of the teacher's parameters (a known constraint), for example 0.3.</summary>
    public DistillationExperiment SetMaxParameterFraction(double fraction)
    {
        if (!(fraction > 0)) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "must be positive");
        maxParameterFraction = fraction;
        return this;
    }

    /// <summary>How many trials the study may hold in all (a resumed study counts its earlier trials). Default 10 when no time budget is set.</summary>
    public DistillationExperiment SetTrialBudget(int trials)
    {
        if (trials < 1) throw new ArgumentOutOfRangeException(nameof(trials), trials, "must be >= 1");
        trialBudget = trials;
        return this;
    }

    /// <summary>How many trials the study may hold in all: <see cref="SetTrialBudget"/>'s, 10 when neither budget is set, null when only time limits it.</summary>
    public int? TrialBudget => trialBudget ?? (timeBudget is null ? 10 : null);

    /// <summary>Stop after this long; the running trial is given back to the store (pending) for a later run.</summary>
    public DistillationExperiment SetTimeBudget(TimeSpan time)
    {
        if (time <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(time), time, "must be positive");
        timeBudget = time;
        return this;
    }

    /// <summary>Stops unpromising trials from their intermediate dev F1 (set <see cref="DistillationExperimentOptions.EvaluateEverySteps"/>). Direction: maximise.</summary>
    public DistillationExperiment SetPruner(IPruner pruner)
    {
        this.pruner = pruner ?? throw new ArgumentNullException(nameof(pruner));
        return this;
    }

    /// <summary>
    /// Median pruning on intermediate dev F1 in which each student is compared only with finished students no larger
    /// than it (<see cref="MedianPruner.Peers"/>): plain median pruning would stop every small student early, although
    /// its size is what can put it on the front. No pruning until <paramref name="startupTrials"/> such peers finished.
    /// </summary>
    public DistillationExperiment SetMedianPruning(int startupTrials = 3, int warmupSteps = 0)
    {
        pruner = new MedianPruner(ObjectiveDirection.Maximize, startupTrials, warmupSteps)
        {
            Peers = (trial, other) => StudentSize(trial) is { } size && StudentSize(other) is { } otherSize && otherSize <= size,
        };
        return this;
    }

    private long? StudentSize(PrunedTrialView trial) =>
        runTeacher is { } t && trial.Parameter is { } p ? StudentTrialSettings.TryFrom(p, t.MaxPositionEmbeddings)?.ParameterCount(t.VocabSize) : null;

    /// <summary>Hears trials start, report, complete and fail.</summary>
    public DistillationExperiment SetMonitor(IMonitor monitor)
    {
        this.monitor = monitor ?? throw new ArgumentNullException(nameof(monitor));
        return this;
    }

    /// <summary>
    /// The trial store: "Data Source=sweep.db" (SQLite) or "Host=...;Database=...;..." (PostgreSQL, to share the study
    /// with other machines). Default: SQLite at OutputDirectory/sweep.db.
    /// </summary>
    public DistillationExperiment SetStore(string connectionString)
    {
        TrialStore.DetectKind(connectionString);
        store = connectionString;
        return this;
    }

    /// <summary>The study's name in the store; the same name resumes it. Default "distillation".</summary>
    public DistillationExperiment SetStudyName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        studyName = name;
        return this;
    }

    /// <summary>Replaces the per-trial settings.</summary>
    public DistillationExperiment SetOptions(DistillationExperimentOptions options)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        return this;
    }

    /// <summary>The store connection string the run uses.</summary>
    public string StoreConnectionString => store ?? $"Data Source={Path.GetFullPath(Path.Combine(Options.OutputDirectory, "sweep.db"))}";

    /// <summary>
    /// Runs trials until the trial budget of the study is spent (or the time budget), then returns every trial of the
    /// study and its Pareto front. Cancelling stops after the current training step; the running trial is given back
    /// to the store as pending, and <see cref="OperationCanceledException"/> is thrown.
    /// </summary>
    /// <exception cref="InvalidOperationException">No teacher or no data was set.</exception>
    /// <exception cref="TrialStoreException">The store cannot be opened, or the study exists with other objectives.</exception>
    public async Task<ExperimentResult> RunAsync(CancellationToken cancellationToken = default)
    {
        Options.Validate();
        var clock = Stopwatch.StartNew();
        var model = LoadTeacher();
        try
        {
            return await RunWithTeacherAsync(model, clock, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (!ReferenceEquals(model, teacher)) model.Dispose(); // loaded from the teacher directory for this run
        }
    }

    private async Task<ExperimentResult> RunWithTeacherAsync(BertQaModel model, Stopwatch clock, CancellationToken cancellationToken)
    {
        var (trainSet, devSet) = ReadData();
        Directory.CreateDirectory(Options.OutputDirectory);
        var featurizer = BertFeaturizer.Create(new FeaturizerOptions
        {
            VocabPath = model.VocabularyPath!, MaxSequenceLength = Options.MaxSequenceLength, DocStride = Options.DocStride, MaxQueryLength = Options.MaxQueryLength,
        });
        bool version2 = trainSet.Any(e => e.IsImpossible) || devSet.Any(e => e.IsImpossible);
        var postProcessing = new PostProcessingOptions { AllowNoAnswer = Options.AllowNoAnswer ?? version2 };
        var teacherSummary = SummarizeTeacher(model, featurizer, postProcessing, devSet, cancellationToken);
        var searchSpace = space ?? StudentSearchSpaces.ScaledTo(model.Config);
        var latency = WantsLatency ? new OnnxLatencyModel(model.Config, model.VocabularyPath!, Options.MaxSequenceLength, Path.Combine(Options.OutputDirectory, "latency")) : null;
        var problem = BuildProblem(model, searchSpace, latency);

        await using var trialStore = await TrialStore.OpenAsync(StoreConnectionString, cancellationToken).ConfigureAwait(false);
        var study = await trialStore.CreateOrOpenStudyAsync(ExperimentStudy.Definition(studyName, problem, teacherSummary, Options.EnqueueBaseline), cancellationToken).ConfigureAwait(false);
        if (Options.EnqueueBaseline) // one transaction: of several workers starting the study together, one enqueues it
            await trialStore.EnqueueFirstTrialAsync(studyName, searchSpace.Default, cancellationToken).ConfigureAwait(false);

        int? budget = TrialBudget;
        var worker = new TrialWorker(trialStore, studyName, Options.WorkerId, Proposals(problem, budget), new TrialWorkerOptions
        {
            MaxTrials = budget, HeartbeatInterval = Options.HeartbeatInterval,
            Reap = new ReapOptions { MaxAge = Options.StaleAfter, Policy = StaleTrialPolicy.RetryStale },
        });
        var runner = new StudentTrialRunner(model, trainSet, devSet, featurizer, postProcessing, Options, Seed, pruner, monitor, latency);
        runTeacher = model.Config;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeBudget is { } time) deadline.CancelAfter(time);
        try
        {
            await worker.RunAsync(runner.RunAsync, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && deadline.IsCancellationRequested)
        {
            // The time budget is spent; the running trial was given back as pending.
        }

        var (storedTeacher, baseline) = ExperimentStudy.Read(studyName, study.DescriptionJson);
        var records = await trialStore.GetTrialsAsync(studyName, CancellationToken.None).ConfigureAwait(false);
        return ExperimentResult.Build(studyName, trialStore.Description, study.Objectives, records, teacherSummary ?? storedTeacher, baseline, clock.Elapsed);
    }

    /// <summary>The tuning problem the run would optimise for <paramref name="teacher"/> (objectives, constraints and space).</summary>
    public TuningProblem BuildProblem(BertQaModel teacher) => BuildProblem(teacher, space ?? StudentSearchSpaces.ScaledTo(teacher.Config), null);

    private bool WantsLatency => customObjectives is null && builtIn.HasFlag(StudentObjectives.Latency);

    private TuningProblem BuildProblem(BertQaModel model, SearchSpace searchSpace, OnnxLatencyModel? latency)
    {
        int vocabulary = model.Config.VocabSize, positions = model.Config.MaxPositionEmbeddings;
        double Parameters(Parameter p) => StudentTrialSettings.From(p, positions).ParameterCount(vocabulary);
        var objectives = customObjectives?.ToList() ?? [];
        if (customObjectives is null)
        {
            if (builtIn.HasFlag(StudentObjectives.F1)) objectives.Add(Objective.Maximize(StudentMetrics.F1, referenceValue: 0));
            if (builtIn.HasFlag(StudentObjectives.Parameters)) objectives.Add(Objective.MinimizeKnown(StudentMetrics.Parameters, Parameters, model.ParameterCount));
            if (latency is not null) objectives.Add(Objective.MinimizeKnown(StudentMetrics.LatencyMs, p => latency.PredictMs(searchSpace, p)));
        }
        var all = constraints.ToList();
        if (maxParameterFraction is { } fraction)
            all.Add(Constraint.KnownAtMost("parameter_limit", Parameters, fraction * model.ParameterCount));
        return new TuningProblem(searchSpace, objectives, all);
    }

    private Func<ProposalContext, Parameter> Proposals(TuningProblem problem, int? budget)
    {
        if (tuner is { } shared)
        {
            if (shared is IConfigurableTuner { IsConfigured: false } configurable) configurable.Configure(problem);
            if (shared is ISampler sharedSampler) return TunerProposals.FromSampler(sharedSampler);
            return context => { lock (shared) return TunerProposals.Propose(shared, context); };
        }
        var factory = tunerFactory ?? (p => new MultiObjectiveBayesianTuner(p, new MultiObjectiveBayesianTunerOptions
        {
            Seed = Seed,
            InitialDesignSize = budget is { } b ? Math.Min(2 * (p.Space.FeatureCount + 1), Math.Max(2, b / 3)) : null,
        }));
        // Samplers (the built-in tuners) are functions of the store's snapshot: one serves every claim. Other tuners
        // are rebuilt from the history at each claim.
        return factory(problem) is ISampler sampler ? TunerProposals.FromSampler(sampler) : TunerProposals.FromFreshTuner(() => factory(problem));
    }

    // The caller's teacher, or the one in the teacher directory, loaded for this run (the caller disposes it when done).
    private BertQaModel LoadTeacher()
    {
        if (teacher is null && teacherDirectory is null) throw new InvalidOperationException("Set the teacher first: SetTeacher(model) or SetTeacher(directory).");
        var model = teacher ?? BertQaModel.Load(teacherDirectory!, Options.Device is null ? null : TorchDevice.Resolve(Options.Device));
        try
        {
            return Prepare(model);
        }
        catch
        {
            if (teacher is null) model.Dispose();
            throw;
        }
    }

    private BertQaModel Prepare(BertQaModel teacher)
    {
        if (teacher.VocabularyPath is null)
            throw new InvalidOperationException("The teacher does not know its vocabulary: load it from a checkpoint directory with vocab.txt, or set BertQaModel.VocabularyPath.");
        if (Options.Device is { } name)
        {
            var device = TorchDevice.Resolve(name);
            if (teacher.Device.type != device.type || teacher.Device.index != device.index) teacher.to(device);
        }
        if (Options.MaxSequenceLength > teacher.Config.MaxPositionEmbeddings)
            throw new InvalidOperationException($"MaxSequenceLength {Options.MaxSequenceLength} is longer than the teacher's max_position_embeddings ({teacher.Config.MaxPositionEmbeddings}).");
        teacher.eval();
        return teacher;
    }

    private (IReadOnlyList<SquadExample> Train, IReadOnlyList<SquadExample> Dev) ReadData()
    {
        var columns = QaColumns.Default;
        var t = train ?? (trainView is null ? null : QaInputColumns.Read(trainView, columns, labels: true));
        var d = dev ?? (devView is null ? null : QaInputColumns.Read(devView, columns, labels: true));
        if (t is null || d is null) throw new InvalidOperationException("Set the data first: SetData(train, dev).");
        if (t.Count == 0) throw new InvalidOperationException("The training data has no questions.");
        if (d.Count == 0) throw new InvalidOperationException("The dev data has no questions: trials are scored on it.");
        return (t, d);
    }

    private TeacherSummary SummarizeTeacher(BertQaModel model, BertFeaturizer featurizer, PostProcessingOptions postProcessing,
        IReadOnlyList<SquadExample> devSet, CancellationToken cancellationToken)
    {
        if (!Options.EvaluateTeacher) return new TeacherSummary(model.ParameterCount, null, null);
        var metrics = new BertQaPredictor(model, featurizer, postProcessing, Options.InferenceBatchSize).Evaluate(devSet, cancellationToken);
        return new TeacherSummary(model.ParameterCount, metrics.F1, metrics.Exact);
    }
}
