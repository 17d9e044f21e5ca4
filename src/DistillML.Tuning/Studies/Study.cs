using DistillML.Tuning.Objectives;
using DistillML.Tuning.Pareto;
using DistillML.Tuning.Trials;
using DistillML.Tuning.Tuners;

namespace DistillML.Tuning.Studies;

/// <summary>
/// A sweep in ask/tell form (Optuna's study): hands out trial ids, asks the tuner for parameters, records
/// results and keeps the Pareto front. Storage is separate: pass the results a store kept to resume, and
/// they are replayed into the tuner. Thread-safe, so several workers can ask and tell concurrently.
/// </summary>
public sealed class Study
{
    private readonly ITuner _tuner;
    private readonly List<TrialResult> _results = new();
    private readonly object _gate = new();
    private int _nextTrialId;

    /// <summary>Creates a study, replaying <paramref name="history"/> (finished trials of a resumed sweep) into the tuner.</summary>
    public Study(TuningProblem problem, ITuner tuner, IEnumerable<TrialResult>? history = null)
    {
        Problem = problem ?? throw new ArgumentNullException(nameof(problem));
        _tuner = tuner ?? throw new ArgumentNullException(nameof(tuner));
        foreach (var r in history ?? Enumerable.Empty<TrialResult>())
        {
            _tuner.Update(r);
            _results.Add(r);
            _nextTrialId = Math.Max(_nextTrialId, r.TrialSettings.TrialId + 1);
        }
    }

    /// <summary>The problem.</summary>
    public TuningProblem Problem { get; }

    /// <summary>Finished trials in arrival order.</summary>
    public IReadOnlyList<TrialResult> Trials
    {
        get
        {
            lock (_gate)
            {
                return _results.ToList();
            }
        }
    }

    /// <summary>Completed, feasible, non-dominated trials.</summary>
    public IReadOnlyList<TrialResult> ParetoFront
    {
        get
        {
            var eligible = Trials.Where(r => r.Status == TrialStatus.Completed && Problem.IsFeasible(r) && Problem.ObjectiveVector(r) is not null).ToList();
            var idx = NonDominatedSorting.ParetoIndices(eligible.Select(r => Problem.ObjectiveVector(r)!).ToList());
            return idx.Select(i => eligible[i]).ToList();
        }
    }

    /// <summary>Starts a trial: a new id and the tuner's proposal.</summary>
    public TrialSettings Ask()
    {
        lock (_gate)
        {
            var settings = new TrialSettings { TrialId = _nextTrialId++, StartedAtUtc = DateTime.UtcNow };
            _tuner.Propose(settings);
            return settings;
        }
    }

    /// <summary>Finishes a trial.</summary>
    public void Tell(TrialResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        lock (_gate)
        {
            result.TrialSettings.EndedAtUtc ??= DateTime.UtcNow;
            _tuner.Update(result);
            _results.Add(result);
        }
    }

    /// <summary>
    /// Runs <paramref name="trials"/> trials with up to <paramref name="parallelism"/> at a time. An exception
    /// from <paramref name="evaluate"/> (other than cancellation) records the trial as failed.
    /// </summary>
    public async Task OptimizeAsync(Func<TrialSettings, CancellationToken, Task<IReadOnlyDictionary<string, double>>> evaluate,
        int trials, int parallelism = 1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(evaluate);
        var remaining = trials;
        async Task Worker()
        {
            while (Interlocked.Decrement(ref remaining) >= 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var settings = Ask();
                var started = DateTime.UtcNow;
                try
                {
                    var metrics = await evaluate(settings, cancellationToken).ConfigureAwait(false);
                    Tell(new TrialResult
                    {
                        TrialSettings = settings,
                        Metrics = metrics,
                        DurationInMilliseconds = (DateTime.UtcNow - started).TotalMilliseconds,
                    });
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    Tell(new TrialResult
                    {
                        TrialSettings = settings,
                        Status = TrialStatus.Failed,
                        Error = $"{e.GetType().Name}: {e.Message}",
                        DurationInMilliseconds = (DateTime.UtcNow - started).TotalMilliseconds,
                    });
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Math.Max(1, parallelism)).Select(_ => Task.Run(Worker, cancellationToken))).ConfigureAwait(false);
    }
}
