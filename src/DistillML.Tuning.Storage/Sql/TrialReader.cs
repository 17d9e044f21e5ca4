using System.Data.Common;
using DistillML.Tuning.Storage.Serialization;
using DistillML.Tuning.Trials;

namespace DistillML.Tuning.Storage.Sql;

/// <summary>Reads trials with their metrics, intermediate values and artifacts.</summary>
internal static class TrialReader
{
    private const string Columns =
        "t.id, t.number, t.state, t.parameter, t.worker, t.heartbeat_ms, t.created_ms, t.started_ms, t.ended_ms, " +
        "t.finish_seq, t.error, t.cost, t.duration_ms, t.attempt, t.retry_of, t.retried_as";

    /// <summary>The study's trials by number, or only trial <paramref name="number"/> when given.</summary>
    public static async Task<List<TrialRecord>> ReadAsync(DbConnection connection, DbTransaction transaction, StudyInfo study, int? number,
        CancellationToken cancellationToken)
    {
        // Reservations (a number held while its parameter is being proposed) are not trials yet.
        var filter = (number is null ? "t.study_id = @s" : "t.study_id = @s AND t.number = @n") + $" AND t.parameter <> '{SqlTrialStore.ReservedParameter}'";
        var parameters = number is null ? new[] { ("@s", (object?)study.Id) } : new[] { ("@s", (object?)study.Id), ("@n", (object?)number.Value) };

        var rows = new List<(long Id, TrialRecord Record)>();
        await using (var command = Db.Command(connection, transaction, $"SELECT {Columns} FROM trials t WHERE {filter} ORDER BY t.number;", parameters))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add((reader.GetInt64(0), ReadRow(reader, study.Name)));
            }
        }

        if (rows.Count == 0)
        {
            return [];
        }

        var metrics = new Dictionary<long, Dictionary<string, double>>();
        await ForEachAsync(connection, transaction, $"SELECT m.trial_id, m.name, m.value FROM trial_metrics m JOIN trials t ON t.id = m.trial_id WHERE {filter};",
            parameters, r => Bucket(metrics, r.GetInt64(0))[r.GetString(1)] = Db.ValueOrNaN(r, 2), cancellationToken).ConfigureAwait(false);
        var values = new Dictionary<long, List<KeyValuePair<int, double>>>();
        await ForEachAsync(connection, transaction, $"SELECT v.trial_id, v.step, v.value FROM trial_values v JOIN trials t ON t.id = v.trial_id WHERE {filter} ORDER BY v.step;",
            parameters, r => BucketList(values, r.GetInt64(0)).Add(new(Convert.ToInt32(r.GetValue(1)), Db.ValueOrNaN(r, 2))), cancellationToken).ConfigureAwait(false);
        var artifacts = new Dictionary<long, Dictionary<string, string>>();
        await ForEachAsync(connection, transaction, $"SELECT a.trial_id, a.name, a.path FROM trial_artifacts a JOIN trials t ON t.id = a.trial_id WHERE {filter};",
            parameters, r => Bucket(artifacts, r.GetInt64(0))[r.GetString(1)] = r.GetString(2), cancellationToken).ConfigureAwait(false);

        return rows.Select(row => With(row.Record,
            metrics.GetValueOrDefault(row.Id),
            values.GetValueOrDefault(row.Id),
            artifacts.GetValueOrDefault(row.Id))).ToList();
    }

    /// <summary>The numbers of the study's reservations: trials whose parameter is being proposed, by number.</summary>
    public static async Task<IReadOnlyList<int>> ReservedNumbersAsync(DbConnection connection, DbTransaction transaction, StudyInfo study,
        CancellationToken cancellationToken)
    {
        var numbers = new List<int>();
        await ForEachAsync(connection, transaction, "SELECT number FROM trials WHERE study_id = @s AND parameter = @r ORDER BY number;",
            [("@s", study.Id), ("@r", SqlTrialStore.ReservedParameter)], r => numbers.Add(Convert.ToInt32(r.GetValue(0))), cancellationToken).ConfigureAwait(false);
        return numbers;
    }

    private static TrialRecord ReadRow(DbDataReader r, string studyName) => new()
    {
        StudyName = studyName,
        Number = Convert.ToInt32(r.GetValue(1)),
        State = Enum.Parse<TrialState>(r.GetString(2)),
        Parameter = ParameterJson.Deserialize(r.GetString(3)),
        WorkerId = Db.StringOrNull(r, 4),
        HeartbeatUtc = Db.TimeOrNull(r, 5),
        CreatedAtUtc = Db.FromMs(Convert.ToInt64(r.GetValue(6))),
        StartedAtUtc = Db.TimeOrNull(r, 7),
        EndedAtUtc = Db.TimeOrNull(r, 8),
        FinishSequence = Db.Int64OrNull(r, 9),
        Error = Db.StringOrNull(r, 10),
        Cost = Db.DoubleOrNull(r, 11),
        DurationInMilliseconds = Db.DoubleOrNull(r, 12),
        Attempt = Convert.ToInt32(r.GetValue(13)),
        RetryOf = Db.Int32OrNull(r, 14),
        RetriedAs = Db.Int32OrNull(r, 15),
    };

    private static TrialRecord With(TrialRecord r, Dictionary<string, double>? metrics, List<KeyValuePair<int, double>>? values,
        Dictionary<string, string>? artifacts) => new()
        {
            StudyName = r.StudyName,
            Number = r.Number,
            State = r.State,
            Parameter = r.Parameter,
            WorkerId = r.WorkerId,
            HeartbeatUtc = r.HeartbeatUtc,
            CreatedAtUtc = r.CreatedAtUtc,
            StartedAtUtc = r.StartedAtUtc,
            EndedAtUtc = r.EndedAtUtc,
            FinishSequence = r.FinishSequence,
            Error = r.Error,
            Cost = r.Cost,
            DurationInMilliseconds = r.DurationInMilliseconds,
            Attempt = r.Attempt,
            RetryOf = r.RetryOf,
            RetriedAs = r.RetriedAs,
            Metrics = metrics ?? new Dictionary<string, double>(),
            IntermediateValues = values ?? [],
            Artifacts = artifacts ?? new Dictionary<string, string>(),
        };

    private static async Task ForEachAsync(DbConnection connection, DbTransaction transaction, string sql, (string, object?)[] parameters,
        Action<DbDataReader> row, CancellationToken cancellationToken)
    {
        await using var command = Db.Command(connection, transaction, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            row(reader);
        }
    }

    private static Dictionary<string, TValue> Bucket<TValue>(Dictionary<long, Dictionary<string, TValue>> buckets, long id)
    {
        if (!buckets.TryGetValue(id, out var bucket))
        {
            bucket = new Dictionary<string, TValue>(StringComparer.Ordinal);
            buckets[id] = bucket;
        }

        return bucket;
    }

    private static List<KeyValuePair<int, double>> BucketList(Dictionary<long, List<KeyValuePair<int, double>>> buckets, long id)
    {
        if (!buckets.TryGetValue(id, out var bucket))
        {
            bucket = [];
            buckets[id] = bucket;
        }

        return bucket;
    }
}
