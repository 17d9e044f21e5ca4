using DistillML.Tuning.Acquisition;
using DistillML.Tuning.GaussianProcesses;
using DistillML.Tuning.Objectives;
using DistillML.Tuning.Pareto;
using DistillML.Tuning.Sampling;
using DistillML.Tuning.SearchSpace;
using DistillML.Tuning.Trials;

namespace DistillML.Tuning.Tuners;

/// <summary>
/// Multi-objective Bayesian optimization: after a scrambled-Sobol initial design of 2(d+1) trials, one Gaussian
/// process per black-box objective and constraint (Matérn 5/2 ARD, MAP hyperparameters under <see cref="GpPriors"/>,
/// unit-cube inputs, standardized outputs, a learned noise term; pruned trials enter the objective models at their
/// last reported value), and a proposal that maximizes expected hypervolume improvement
/// (exact by box decomposition, quasi-Monte Carlo for very large fronts) times the probability of feasibility
/// and of not failing. Known objectives enter the acquisition exactly; known constraints filter candidates.
/// Pending trials are fantasized at their posterior mean (kriging believer), so parallel workers do not collide.
/// The front the improvement is measured against uses posterior means at the observed points, which keeps noisy
/// lucky draws from freezing the search.
/// </summary>
public sealed class MultiObjectiveBayesianTuner : SamplingTuner, IConfigurableTuner
{
    private readonly MultiObjectiveBayesianTunerOptions _options;
    private const int FitCacheSize = 8;
    private readonly Dictionary<string, GpHyperparameters> _lastFits = new();
    private readonly List<(string Key, List<double[]> X, List<double> Y, GaussianProcess Model)> _fitCache = new();
    private TuningProblem? _problemOrNull;
    private SobolSequence? _design;

    /// <summary>Creates the tuner for a problem.</summary>
    public MultiObjectiveBayesianTuner(TuningProblem problem, MultiObjectiveBayesianTunerOptions? options = null)
        : this(options) => Configure(problem);

    /// <summary>Creates a tuner whose problem comes later through <see cref="Configure"/>.</summary>
    public MultiObjectiveBayesianTuner(MultiObjectiveBayesianTunerOptions? options = null) =>
        _options = options ?? new MultiObjectiveBayesianTunerOptions();

    /// <summary>The number of design trials before modelling starts: the option, or 2(d+1).</summary>
    public int InitialDesignSize { get; private set; }

    /// <summary>The problem being optimized.</summary>
    public TuningProblem Problem => _problemOrNull ?? throw new InvalidOperationException("The tuner has no problem yet; call Configure first.");

    /// <inheritdoc />
    public bool IsConfigured => _problemOrNull is not null;

    /// <inheritdoc />
    public void Configure(TuningProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (_problemOrNull is not null)
        {
            throw new InvalidOperationException("The tuner is already configured.");
        }

        _problemOrNull = problem;
        var d = problem.Space.FeatureCount;
        _design = d > 0 ? new SobolSequence(d, SeedMixer.Mix(_options.Seed, -1)) : null;
        InitialDesignSize = _options.InitialDesignSize ?? 2 * (d + 1);
    }

    /// <inheritdoc />
    /// <remarks>
    /// A function of the snapshot, the trial id and the options; with <see cref="MultiObjectiveBayesianTunerOptions.WarmStartHyperparameters"/>
    /// the Gaussian processes' fits also start from this instance's previous fit.
    /// </remarks>
    public override Parameter Sample(StudySnapshot study, int trialId)
    {
        ArgumentNullException.ThrowIfNull(study);
        _ = Problem;
        var completed = study.Finished.Where(r => r.Status == TrialState.Completed && Problem.ObjectiveVector(r) is not null).ToList();

        // Trials are seeded, so a point already finished or pending would only repeat a result: every proposal
        // avoids them while an unseen point can be found (a small discrete space can be exhausted).
        var seen = study.SeenParameters();
        return study.TrialCount < InitialDesignSize || completed.Count < 2 || _design is null
            ? DesignPoint(study.TrialCount, seen)
            : ModelledProposal(study, trialId, completed, seen);
    }

    private Parameter DesignPoint(int index, HashSet<Parameter> seen)
    {
        var space = Problem.Space;
        if (_design is null)
        {
            return space.Default;
        }

        // The index-th design point among those that satisfy the known constraints, so that consecutive proposals
        // stay distinct (looking at most 64 points per feasible one); then the first later one not seen yet, since
        // on integer and categorical features distinct Sobol points can map to the same parameter.
        var limit = 64 * (index + 1);
        var points = _design.Take(limit);
        var feasible = 0;
        Parameter? chosen = null;
        foreach (var x in points)
        {
            var p = space.SampleFromFeatureSpace(x);
            if (!SatisfiesKnownConstraints(p) || feasible++ < index)
            {
                continue;
            }

            chosen ??= p;
            if (!seen.Contains(p))
            {
                return p;
            }
        }

        return chosen is { } c && !seen.Contains(c) ? c : RandomFeasible(new Random(SeedMixer.Mix(_options.Seed, -3 - index)), seen);
    }

    private bool SatisfiesKnownConstraints(Parameter p) => Problem.SatisfiesKnownConstraints(p);

    private Parameter ModelledProposal(StudySnapshot study, int trialId, List<TrialResult> completed, HashSet<Parameter> seen)
    {
        var space = Problem.Space;
        var m = Problem.Objectives.Count;
        var x = completed.Select(r => space.MappingToFeatureSpace(r.TrialSettings.Parameter)).ToList();
        var y = completed.Select(r => Problem.ObjectiveVector(r)!).ToList();

        // One Gaussian process per black-box objective, then kriging-believer fantasies for pending trials. Pruned
        // trials that reported the objective enter the models at the last value they reported (a pessimistic
        // stand-in for a value they never reached, as Optuna's TPE ranks them below completed trials); left out,
        // the model never learns that a region gets pruned and keeps proposing it. They stay off the front.
        var pruned = study.Finished.Where(r => r.Status == TrialState.Pruned)
            .Select(r => (Parameter: r.TrialSettings.Parameter, Y: Problem.ObjectiveVector(r)))
            .Where(t => t.Y is not null).ToList();
        var modelX = x.Concat(pruned.Select(t => space.MappingToFeatureSpace(t.Parameter))).ToList();
        var modelY = y.Concat(pruned.Select(t => t.Y!)).ToList();
        var pendingX = study.Pending.Values.Select(space.MappingToFeatureSpace).ToList();
        var models = new GaussianProcess?[m];
        Parallel.For(0, m, new ParallelOptions { MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism }, j =>
        {
            if (Problem.Objectives[j].Kind == ObjectiveKind.BlackBox)
            {
                models[j] = FitModel("objective:" + Problem.Objectives[j].Name, modelX, modelY.Select(v => v[j]).ToList());
            }
        });

        var believed = models.Select(g => g is null || pendingX.Count == 0
            ? g
            : g.WithObservations(pendingX, pendingX.Select(px => g.Predict(px).Mean).ToList())).ToArray();

        var constraintModels = new List<(Constraint, GaussianProcess)>();
        foreach (var c in Problem.Constraints.Where(c => c.Kind == ObjectiveKind.BlackBox))
        {
            var withMetric = completed.Where(r => r.Metrics.ContainsKey(c.Name)).ToList();
            if (withMetric.Count >= 2)
            {
                var cx = withMetric.Select(r => space.MappingToFeatureSpace(r.TrialSettings.Parameter)).ToList();
                var cy = withMetric.Select(r => c.Violation(r.Metrics[c.Name])).ToList();
                constraintModels.Add((c, FitModel("constraint:" + c.Name, cx, cy)));
            }
        }

        var failureModel = FailureModel(study, models.FirstOrDefault(g => g is not null));

        // The front: posterior means of feasible completed trials (known objectives exact), plus pending beliefs.
        var frontCandidates = new List<double[]>();
        var frontX = new List<double[]>();
        for (var i = 0; i < completed.Count; i++)
        {
            if (!Problem.IsFeasible(completed[i]))
            {
                continue;
            }

            frontCandidates.Add(Denoised(models, x[i], y[i]));
            frontX.Add(x[i]);
        }

        foreach (var (id, parameter) in study.Pending)
        {
            var px = space.MappingToFeatureSpace(parameter);
            if (!SatisfiesKnownConstraints(parameter))
            {
                continue;
            }

            var v = new double[m];
            for (var j = 0; j < m; j++)
            {
                var o = Problem.Objectives[j];
                v[j] = o.KnownFunction is { } f ? o.ToMinimization(f(parameter)) : models[j]!.Predict(px).Mean;
            }

            frontCandidates.Add(v);
        }

        var reference = ReferencePoint(y);
        var paretoIdx = NonDominatedSorting.ParetoIndices(frontCandidates);
        var front = paretoIdx.Select(i => frontCandidates[i]).ToList();
        var anchors = paretoIdx.Where(i => i < frontX.Count).Select(i => frontX[i]).ToList();
        IHypervolumeImprovement ehvi = (IHypervolumeImprovement?)ExactEhvi.Create(front, reference, _options.MaxExactBoxes)
            ?? new MonteCarloEhvi(front, reference, _options.MonteCarloSamples, SeedMixer.Mix(_options.Seed, -2), _options.MaxExactBoxes);

        var scorer = new CandidateScorer(Problem, believed, constraintModels.ToArray(), failureModel, ehvi);
        var seed = SeedMixer.Mix(_options.Seed, trialId);
        // A candidate that rounds to a point already finished or pending scores nothing. Without this the optimizer
        // re-proposes front members: a perturbation of an anchor's integer feature that stays inside its rounding cell
        // is the anchor itself, and with a noise term its EHVI is still positive.
        double Score(double[] candidate) => seen.Contains(space.SampleFromFeatureSpace(candidate)) ? double.NegativeInfinity : scorer.Score(candidate);
        var (best, score) = AcquisitionOptimizer.Maximize(Score, space.FeatureCount, seed, anchors, _options);
        if (!(score > 0))
        {
            // Nothing promises improvement (or every candidate broke a known constraint or was seen): explore.
            return RandomFeasible(new Random(seed), seen);
        }

        return space.SampleFromFeatureSpace(best);
    }

    private GaussianProcess FitModel(string key, List<double[]> x, List<double> y)
    {
        // Without warm starts a fit is a function of its observations, so the fits of the last snapshots are reused
        // exactly: workers proposing from the same finished trials (pending ones differ) fit each model once.
        if (!_options.WarmStartHyperparameters)
        {
            lock (_fitCache)
            {
                var hit = _fitCache.Find(e => e.Key == key && e.Y.SequenceEqual(y) && e.X.Count == x.Count && e.X.Zip(x).All(p => p.First.AsSpan().SequenceEqual(p.Second)));
                if (hit.Model is not null)
                {
                    return hit.Model;
                }
            }
        }

        var fitted = Fit(key, x, y);
        if (!_options.WarmStartHyperparameters)
        {
            lock (_fitCache)
            {
                _fitCache.Add((key, x, y, fitted));
                if (_fitCache.Count > FitCacheSize)
                {
                    _fitCache.RemoveAt(0);
                }
            }
        }

        return fitted;
    }

    private GaussianProcess Fit(string key, List<double[]> x, List<double> y)
    {
        var starts = new List<GpHyperparameters> { GpHyperparameters.Default(Problem.Space.FeatureCount) };
        lock (_lastFits)
        {
            if (_options.WarmStartHyperparameters && _lastFits.TryGetValue(key, out var last))
            {
                starts.Insert(0, last);
            }
        }

        var model = GaussianProcess.Fit(x, y, _options.Priors, _options.MaxFitIterations, starts);
        lock (_lastFits)
        {
            _lastFits[key] = model.Hyperparameters;
        }

        return model;
    }

    /// <summary>A model of failure: labels +1 (completed) / -1 (failed) on the first objective's length scales.</summary>
    private GaussianProcess? FailureModel(StudySnapshot study, GaussianProcess? reference)
    {
        var space = Problem.Space;
        var failed = study.Finished.Where(r => r.Status == TrialState.Failed).ToList();
        if (failed.Count == 0)
        {
            return null;
        }

        var labelled = study.Finished.Where(r => r.Status is TrialState.Completed or TrialState.Failed).ToList();
        var fx = labelled.Select(r => space.MappingToFeatureSpace(r.TrialSettings.Parameter)).ToList();
        var fy = labelled.Select(r => r.Status == TrialState.Completed ? 1.0 : -1.0).ToList();
        var lengthScales = reference?.Hyperparameters.LengthScales ?? Enumerable.Repeat(0.2, space.FeatureCount).ToArray();
        var h = new GpHyperparameters(lengthScales.Select(l => Math.Min(l, 0.5)).ToArray(), 1.0, 0.01);

        // Far from every trial the prediction reverts to the mean label, the observed success rate.
        return GaussianProcess.Condition(fx, fy, h);
    }

    private double[] Denoised(GaussianProcess?[] models, double[] x, double[] y)
    {
        var v = (double[])y.Clone();
        for (var j = 0; j < v.Length; j++)
        {
            if (models[j] is { } g)
            {
                v[j] = g.Predict(x).Mean;
            }
        }

        return v;
    }

    private double[] ReferencePoint(List<double[]> y)
    {
        var m = Problem.Objectives.Count;
        var r = new double[m];
        for (var j = 0; j < m; j++)
        {
            var o = Problem.Objectives[j];
            if (o.ReferenceValue is { } given)
            {
                r[j] = o.ToMinimization(given);
                continue;
            }

            // Nadir of the observations plus 10% of their range (BoTorch's heuristic).
            var max = y.Max(v => v[j]);
            var min = y.Min(v => v[j]);
            var range = max - min;
            r[j] = max + (range > 1e-12 ? 0.1 * range : Math.Max(1e-6, 0.1 * Math.Abs(max)));
        }

        return r;
    }

    /// <summary>A uniform point that satisfies the known constraints, unseen if one turns up in 1,000 draws.</summary>
    private Parameter RandomFeasible(Random rng, HashSet<Parameter> seen)
    {
        var space = Problem.Space;
        Parameter? feasible = null;
        Parameter? last = null;
        for (var k = 0; k < 1000; k++)
        {
            var x = new double[space.FeatureCount];
            for (var i = 0; i < x.Length; i++)
            {
                x[i] = rng.NextDouble();
            }

            last = space.SampleFromFeatureSpace(x);
            if (SatisfiesKnownConstraints(last))
            {
                if (!seen.Contains(last))
                {
                    return last;
                }

                feasible ??= last;
            }
        }

        return feasible ?? last ?? space.Default;
    }
}
