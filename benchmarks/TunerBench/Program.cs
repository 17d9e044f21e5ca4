using System.Diagnostics;
using System.Globalization;
using DistillML.Tuning.GaussianProcesses;
using DistillML.Tuning.Pareto;
using DistillML.Tuning.Trials;
using DistillML.Tuning.Tuners;
using TunerBench;

// TunerBench: our multi-objective Bayesian tuner vs random search vs DEAP's NSGA-II.
//   dotnet run -c Release --project benchmarks/TunerBench -- [--seeds 10] [--budgets 25,50,100]
//       [--problems ZDT1,ZDT2,ZDT3,DTLZ2,BraninCurrin] [--methods mobo,random,nsga2,mobo-classic]
//       [--overhead 25,100,200] [--no-overhead] [--python /usr/bin/python3]
// Every method runs once per seed up to the largest budget; smaller budgets are prefixes of that run (none of the
// methods knows the budget, so a prefix is exactly the run with the smaller budget). mobo-classic is the same tuner
// with BoTorch's pre-0.12 Gamma priors (GpPriors.Classic), the baseline of the dimension-scaled default.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var options = Options.Parse(args);
var problems = BenchmarkProblem.All.Where(p => options.Problems.Contains(p.Name, StringComparer.OrdinalIgnoreCase)).ToList();
var maxBudget = options.Budgets.Max();
var seeds = Enumerable.Range(0, options.Seeds).ToList();
Console.WriteLine($"TunerBench: {problems.Count} problems, seeds 0..{options.Seeds - 1}, budgets {string.Join("/", options.Budgets)}, {Environment.ProcessorCount} cores");

// runs[method][problem][seed] = objective vectors in evaluation order
var runs = new Dictionary<string, Dictionary<string, Dictionary<int, List<double[]>>>>();
var wall = new Dictionary<string, double>();
foreach (var method in options.Methods)
{
    var sw = Stopwatch.StartNew();
    if (method == "nsga2")
    {
        runs[method] = DeapNsga2.Run(options.Python, problems.Select(p => p.Name), seeds, maxBudget);
    }
    else
    {
        runs[method] = new();
        foreach (var problem in problems)
        {
            runs[method][problem.Name] = new();
            foreach (var seed in seeds)
            {
                var tp = Runners.ToTuningProblem(problem);
                ITuner tuner = method switch
                {
                    "mobo" => new MultiObjectiveBayesianTuner(tp, new MultiObjectiveBayesianTunerOptions { Seed = seed }),
                    "mobo-classic" => new MultiObjectiveBayesianTuner(tp, new MultiObjectiveBayesianTunerOptions { Seed = seed, Priors = GpPriors.Classic }),
                    _ => new RandomTuner(tp.Space, seed),
                };
                var t0 = Stopwatch.StartNew();
                runs[method][problem.Name][seed] = Runners.Run(problem, tuner, maxBudget);
                if (method.StartsWith("mobo", StringComparison.Ordinal))
                {
                    Console.Error.WriteLine($"  {method} {problem.Name} seed {seed}: {t0.Elapsed.TotalSeconds:F1} s");
                }
            }
        }
    }

    wall[method] = sw.Elapsed.TotalSeconds;
}

Console.WriteLine();
Console.WriteLine("Hypervolume (mean ± std over seeds) and log10 hypervolume regret log10(HV* - HV) (mean ± std); lower regret is better.");
Console.WriteLine($"{"problem",-13} {"budget",6} {"method",-12} {"HV",-24} {"log10 regret",-18} {"HV*",10}");
foreach (var problem in problems)
{
    foreach (var budget in options.Budgets.OrderBy(b => b))
    {
        foreach (var method in options.Methods)
        {
            var hvs = seeds.Select(s => Hypervolume.Compute(runs[method][problem.Name][s].Take(budget), problem.Reference)).ToList();
            var regrets = hvs.Select(h => Math.Log10(Math.Max(problem.MaxHypervolume - h, 1e-12))).ToList();
            Console.WriteLine($"{problem.Name,-13} {budget,6} {method,-12} {Stats.Format(hvs, "F4"),-24} {Stats.Format(regrets, "F3"),-18} {problem.MaxHypervolume,10:F4}");
        }
    }
}

Console.WriteLine();
foreach (var (method, seconds) in wall)
{
    Console.WriteLine($"wall time {method}: {seconds:F1} s");
}

if (options.Overhead.Count > 0)
{
    Console.WriteLine();
    Console.WriteLine("Per-proposal overhead of MultiObjectiveBayesianTuner (history of n random evaluated points; median of 3 proposals)");
    // 2, 3 and 4 objectives: beyond MaxExactBoxes (4,096 boxes) the 3- and 4-objective fronts take the Monte Carlo EHVI path.
    foreach (var problem in problems.Where(p => p.Name is "ZDT1" or "DTLZ2").Append(new Dtlz2(objectives: 4)))
    {
        foreach (var n in options.Overhead)
        {
            var tp = Runners.ToTuningProblem(problem);
            var tuner = new MultiObjectiveBayesianTuner(tp, new MultiObjectiveBayesianTunerOptions { Seed = 1 });
            var random = new RandomTuner(tp.Space, seed: 99);
            for (var t = 0; t < n; t++)
            {
                var settings = new TrialSettings { TrialId = t };
                var p = random.Propose(settings);
                var y = problem.Evaluate(Runners.Point(problem, p));
                tuner.Update(TrialResult.Completed(settings, Enumerable.Range(0, y.Length).ToDictionary(j => $"f{j}", j => y[j])));
            }

            var times = new List<double>();
            for (var k = 0; k < 3; k++)
            {
                var sw = Stopwatch.StartNew();
                tuner.Propose(new TrialSettings { TrialId = n + k });
                times.Add(sw.Elapsed.TotalMilliseconds);
            }

            times.Sort();
            Console.WriteLine($"{problem.Name,-13} n = {n,4}: {times[1],8:F0} ms (min {times[0]:F0}, max {times[2]:F0}; the 2nd and 3rd proposals have pending trials)");
        }
    }
}

internal static class Stats
{
    public static string Format(IReadOnlyList<double> values, string format)
    {
        var mean = values.Average();
        var std = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0;
        return $"{mean.ToString(format)} ± {std.ToString(format)}";
    }
}

internal sealed record Options(int Seeds, List<int> Budgets, List<string> Problems, List<string> Methods, List<int> Overhead, string Python)
{
    public static Options Parse(string[] args)
    {
        var o = new Options(10, new() { 25, 50, 100 }, BenchmarkProblem.All.Select(p => p.Name).ToList(),
            new() { "mobo", "random", "nsga2" }, new() { 25, 100, 200 }, "/usr/bin/python3");
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            List<int> Ints() => Next().Split(',').Select(v => int.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            List<string> Names() => Next().Split(',').Select(s => s.Trim()).ToList();
            o = args[i] switch
            {
                "--seeds" => o with { Seeds = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture) },
                "--budgets" => o with { Budgets = Ints() },
                "--problems" => o with { Problems = Names() },
                "--methods" => o with { Methods = Names().Select(s => s.ToLowerInvariant()).ToList() },
                "--overhead" => o with { Overhead = Ints() },
                "--no-overhead" => o with { Overhead = new() },
                "--python" => o with { Python = Next() },
                _ => throw new ArgumentException($"Unknown option {args[i]}."),
            };
        }

        return o;
    }
}
