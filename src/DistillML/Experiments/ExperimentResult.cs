using DistillML.Tuning.Objectives;
using DistillML.Tuning.Pareto;
using DistillML.Tuning.Storage;
using DistillML.Tuning.Trials;

namespace DistillML.Experiments;

/// <summary>What a distillation sweep found: every trial, the Pareto front, the teacher, and hypervolume over trials.</summary>
public sealed class ExperimentResult
{
    /// <summary>The study.</summary>
    public required string StudyName { get; init; }

    /// <summary>Where the trials are stored (no password).</summary>
    public required string StoreDescription { get; init; }

    /// <summary>The objectives, in order.</summary>
    public required IReadOnlyList<StudyObjective> Objectives { get; init; }

    /// <summary>Every trial, by number.</summary>
    public required IReadOnlyList<ExperimentTrial> Trials { get; init; }

    /// <summary>Completed trials that no other completed trial dominates, by parameter count.</summary>
    public required IReadOnlyList<ExperimentTrial> ParetoFront { get; init; }

    /// <summary>The teacher, when the study recorded it.</summary>
    public TeacherSummary? Teacher { get; init; }

    /// <summary>The baseline trial (the search space's default point), if one was enqueued.</summary>
    public int? BaselineTrial { get; init; }

    /// <summary>
    /// Normalised hypervolume (0-1) of the front after each finished trial, in finish order: each objective is scaled
    /// so that its ideal is 0 and its reference 1 (F1: 100 and 0; parameters: 0 and the teacher's count; others: 0 and
    /// 1.1 x the worst value seen).
    /// </summary>
    public required IReadOnlyList<double> HypervolumeHistory { get; init; }

    /// <summary>The front member closest to the ideal point in the normalised objective space (the knee); null when the front is empty.</summary>
    public ExperimentTrial? BestTradeOff { get; init; }

    /// <summary>
    /// The smallest front member whose F1 is at least <paramref name="fraction"/> of the teacher's (0.95: within 95%);
    /// null when none is, or the study did not record the teacher's F1.
    /// </summary>
    public ExperimentTrial? SmallestWithin(double fraction) =>
        Teacher?.F1 is { } teacherF1
            ? ParetoFront.Where(t => t.F1 >= fraction * teacherF1 && t.Parameters is not null).MinBy(t => t.Parameters)
            : null;

    /// <summary>Wall time of the run that returned this result (zero when loaded from a store).</summary>
    public TimeSpan WallTime { get; init; }

    /// <summary>Reads a study's trials from <paramref name="store"/> and computes its front and hypervolume.</summary>
    /// <exception cref="TrialStoreException">The study does not exist.</exception>
    public static async Task<ExperimentResult> LoadAsync(ITrialStore store, string studyName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var study = await store.GetStudyAsync(studyName, cancellationToken).ConfigureAwait(false)
            ?? throw new TrialStoreException($"{store.Description} has no study '{studyName}'.");
        var records = await store.GetTrialsAsync(studyName, cancellationToken).ConfigureAwait(false);
        var (teacher, baseline) = ExperimentStudy.Read(study.Name, study.DescriptionJson);
        return Build(study.Name, store.Description, study.Objectives, records, teacher, baseline, TimeSpan.Zero);
    }

    internal static ExperimentResult Build(string studyName, string storeDescription, IReadOnlyList<StudyObjective> objectives,
        IReadOnlyList<TrialRecord> records, TeacherSummary? teacher, int? baseline, TimeSpan wallTime)
    {
        var trials = records.Select(ExperimentTrial.FromRecord).ToList();
        var scaler = new ObjectiveScaler(objectives, records, teacher);
        var completed = records.Where(r => r.State == TrialState.Completed && scaler.Scale(r) is not null).ToList();
        var points = completed.Select(r => scaler.Scale(r)!).ToList();
        var front = NonDominatedSorting.ParetoIndices(points).Select(i => (Record: completed[i], Point: points[i])).ToList();
        var frontTrials = front.Select(f => trials.First(t => t.Number == f.Record.Number)).OrderBy(t => t.Parameters ?? long.MaxValue).ToList();
        var knee = front.OrderBy(f => f.Point.Sum(x => x * x)).Select(f => trials.First(t => t.Number == f.Record.Number)).FirstOrDefault();

        var reference = Enumerable.Repeat(1.0, objectives.Count).ToArray();
        var history = new List<double>();
        var seen = new List<double[]>();
        foreach (var r in records.Where(r => r.CountsAsResult).OrderBy(r => r.FinishSequence))
        {
            if (r.State == TrialState.Completed && scaler.Scale(r) is { } p) seen.Add(p);
            history.Add(seen.Count == 0 ? 0 : Hypervolume.Compute(seen.Select(x => x.Select(v => Math.Min(v, 1)).ToArray()), reference));
        }

        return new ExperimentResult
        {
            StudyName = studyName, StoreDescription = storeDescription, Objectives = objectives, Trials = trials, ParetoFront = frontTrials,
            Teacher = teacher, BaselineTrial = FollowRetries(records, baseline), HypervolumeHistory = history, BestTradeOff = knee, WallTime = wallTime,
        };
    }

    /// <summary>The trial that finally ran <paramref name="number"/>'s parameters: a stale trial is retried under a new number.</summary>
    private static int? FollowRetries(IReadOnlyList<TrialRecord> records, int? number)
    {
        var byNumber = records.ToDictionary(r => r.Number);
        for (int hops = 0; number is { } n && byNumber.TryGetValue(n, out var r) && r.RetriedAs is { } next && hops < records.Count; hops++) number = next;
        return number;
    }

    /// <summary>Maps a trial's objective metrics to [0, 1]-ish minimisation coordinates (0 ideal, 1 reference).</summary>
    private sealed class ObjectiveScaler
    {
        private readonly IReadOnlyList<StudyObjective> objectives;
        private readonly (double Ideal, double Reference)[] bounds;

        public ObjectiveScaler(IReadOnlyList<StudyObjective> objectives, IReadOnlyList<TrialRecord> records, TeacherSummary? teacher)
        {
            this.objectives = objectives;
            bounds = objectives.Select(o =>
            {
                if (o.Name is StudentMetrics.F1 or StudentMetrics.ExactMatch) return (-100.0, 0.0);
                var values = records.Where(r => r.State == TrialState.Completed && r.Metrics.TryGetValue(o.Name, out var v) && double.IsFinite(v))
                    .Select(r => o.Direction == ObjectiveDirection.Minimize ? r.Metrics[o.Name] : -r.Metrics[o.Name]).ToList();
                if (o.Name == StudentMetrics.Parameters && teacher is not null) return (0.0, Math.Max(teacher.Parameters, values.DefaultIfEmpty(0).Max()));
                if (values.Count == 0) return (0.0, 1.0);
                double worst = values.Max(), best = values.Min();
                return o.Direction == ObjectiveDirection.Minimize ? (0.0, worst * 1.1 + 1e-12) : (best, worst + 1e-12);
            }).ToArray();
        }

        public double[]? Scale(TrialRecord record)
        {
            var point = new double[objectives.Count];
            for (int j = 0; j < point.Length; j++)
            {
                if (!record.Metrics.TryGetValue(objectives[j].Name, out var v) || !double.IsFinite(v)) return null;
                double m = objectives[j].Direction == ObjectiveDirection.Minimize ? v : -v;
                var (ideal, reference) = bounds[j];
                point[j] = (m - ideal) / Math.Max(reference - ideal, 1e-12);
            }
            return point;
        }
    }
}
