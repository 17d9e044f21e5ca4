using System.Globalization;
using DistillML.Tuning.Storage;
using DistillML.Tuning.Storage.Workers;
using DistillML.Tuning.Tuners;

namespace StoreWorker;

/// <summary>
/// A worker process for the storage tests: claims trials of a shared study, "trains" each by sleeping with heartbeats
/// running, reports a metric computed from the parameters and completes it, until the budget is spent.
/// Prints "claimed N" when it starts training trial N (the tests kill it after that) and "done K" at the end.
/// Usage: StoreWorker --store CONNECTION --study NAME --budget N [--train-ms 200] [--heartbeat-ms 100] [--stale-ms 1500]
///        [--tuner bayes|sobol|random] [--worker ID]
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var a = ParseArgs(args);
        var store = a["--store"];
        var study = a["--study"];
        var budget = int.Parse(a["--budget"], CultureInfo.InvariantCulture);
        var trainMs = int.Parse(a.GetValueOrDefault("--train-ms", "200"), CultureInfo.InvariantCulture);
        var heartbeatMs = int.Parse(a.GetValueOrDefault("--heartbeat-ms", "100"), CultureInfo.InvariantCulture);
        var staleMs = int.Parse(a.GetValueOrDefault("--stale-ms", "1500"), CultureInfo.InvariantCulture);
        var tuner = a.GetValueOrDefault("--tuner", "bayes");

        await using var trialStore = await TrialStore.OpenAsync(store);
        await trialStore.CreateOrOpenStudyAsync(FakeProblem.Study(study));
        var worker = new TrialWorker(trialStore, study, a.GetValueOrDefault("--worker"),
            TunerProposals.FromSampler((ISampler)FakeProblem.CreateTuner(tuner)),
            new TrialWorkerOptions
            {
                MaxTrials = budget,
                HeartbeatInterval = TimeSpan.FromMilliseconds(heartbeatMs),
                Reap = new ReapOptions { MaxAge = TimeSpan.FromMilliseconds(staleMs), Policy = StaleTrialPolicy.RetryStale },
                IdlePollInterval = TimeSpan.FromMilliseconds(100),
            });
        Console.WriteLine($"worker {worker.WorkerId}");
        var done = await worker.RunAsync(async (trial, ct) =>
        {
            Console.WriteLine($"claimed {trial.Record.Number}");
            var steps = 4;
            for (var step = 1; step <= steps; step++)
            {
                await Task.Delay(trainMs / steps, ct);
                await trial.ReportAsync(step, FakeProblem.Loss(trial.Record.Parameter) * (1 + 1.0 / step), ct);
            }

            return trial.Record.Completed(new Dictionary<string, double> { ["loss"] = FakeProblem.Loss(trial.Record.Parameter) }, cost: trainMs / 1000.0);
        });
        Console.WriteLine($"done {done}");
        return 0;
    }

    private static Dictionary<string, string> ParseArgs(string[] args)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            result[args[i]] = args[i + 1];
        }

        foreach (var required in new[] { "--store", "--study", "--budget" })
        {
            if (!result.ContainsKey(required))
            {
                throw new ArgumentException($"StoreWorker needs {required}.");
            }
        }

        return result;
    }
}
