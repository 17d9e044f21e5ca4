using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace TunerBench;

/// <summary>
/// Runs NSGA-II from DEAP (Debian's python3-deap) on the same problems and budget: a Python script written to a
/// temporary folder evaluates the same functions, with population 12 (a multiple of 4, as DEAP's
/// selTournamentDCD needs), SBX crossover (η = 20, p = 0.9) and polynomial mutation (η = 20, 1/d per gene), and
/// prints every evaluated objective vector in order; the run stops after exactly <c>budget</c> evaluations.
/// </summary>
public static class DeapNsga2
{
    private const string Script = """
import json, math, random, sys
from deap import base, creator, tools

def zdt(variant):
    def f(x):
        f1 = x[0]
        g = 1 + 9.0 / (len(x) - 1) * sum(x[1:])
        r = f1 / g
        if variant == 1: f2 = g * (1 - math.sqrt(r))
        elif variant == 2: f2 = g * (1 - r * r)
        else: f2 = g * (1 - math.sqrt(r) - r * math.sin(10 * math.pi * f1))
        return (f1, f2)
    return f

def dtlz2(x):
    g = sum((xi - 0.5) ** 2 for xi in x[2:])
    a, b = x[0] * math.pi / 2, x[1] * math.pi / 2
    return ((1 + g) * math.cos(a) * math.cos(b), (1 + g) * math.cos(a) * math.sin(b), (1 + g) * math.sin(a))

def branin_currin(x):
    u, v = 15 * x[0] - 5, 15 * x[1]
    br = (v - 5.1 / (4 * math.pi ** 2) * u * u + 5 / math.pi * u - 6) ** 2 + 10 * (1 - 1 / (8 * math.pi)) * math.cos(u) + 10
    fac = 1.0 if x[1] <= 0 else 1 - math.exp(-1 / (2 * x[1]))
    cu = fac * (2300 * x[0] ** 3 + 1900 * x[0] ** 2 + 2092 * x[0] + 60) / (100 * x[0] ** 3 + 500 * x[0] ** 2 + 4 * x[0] + 20)
    return (br, cu)

PROBLEMS = {"ZDT1": (zdt(1), 6, 2), "ZDT2": (zdt(2), 6, 2), "ZDT3": (zdt(3), 6, 2), "DTLZ2": (dtlz2, 6, 3), "BraninCurrin": (branin_currin, 2, 2)}

def run(name, seed, budget, mu=12):
    fn, d, m = PROBLEMS[name]
    random.seed(seed)
    cname = "Fit%d" % m
    if not hasattr(creator, cname):
        creator.create(cname, base.Fitness, weights=(-1.0,) * m)
        creator.create("Ind%d" % m, list, fitness=getattr(creator, cname))
    Ind = getattr(creator, "Ind%d" % m)
    tb = base.Toolbox()
    tb.register("mate", tools.cxSimulatedBinaryBounded, low=0.0, up=1.0, eta=20.0)
    tb.register("mutate", tools.mutPolynomialBounded, low=0.0, up=1.0, eta=20.0, indpb=1.0 / d)
    evaluated = []
    def evaluate(ind):
        ind.fitness.values = fn(ind)
        evaluated.append(list(ind.fitness.values))
    pop = [Ind(random.random() for _ in range(d)) for _ in range(mu)]
    for ind in pop:
        if len(evaluated) < budget: evaluate(ind)
    pop = [i for i in pop if i.fitness.valid]
    pop = tools.selNSGA2(pop, len(pop))  # assigns crowding distance
    while len(evaluated) < budget:
        parents = tools.selTournamentDCD(pop, len(pop) - len(pop) % 4) if len(pop) >= 4 else pop[:]
        offspring = [tb.clone(i) for i in parents]
        for a, b in zip(offspring[::2], offspring[1::2]):
            if random.random() <= 0.9: tb.mate(a, b)
            tb.mutate(a); tb.mutate(b)
            del a.fitness.values, b.fitness.values
        fresh = []
        for ind in offspring:
            if len(evaluated) >= budget: break
            evaluate(ind); fresh.append(ind)
        pop = tools.selNSGA2(pop + fresh, mu)
    return evaluated

jobs = json.loads(sys.argv[1])
out = {}
for name, seeds, budget in jobs:
    out[name] = {str(s): run(name, s, budget) for s in seeds}
print(json.dumps(out))
""";

    /// <summary>Evaluated objective vectors per problem and seed (in evaluation order).</summary>
    public static Dictionary<string, Dictionary<int, List<double[]>>> Run(string python, IEnumerable<string> problems, IReadOnlyList<int> seeds, int budget)
    {
        var dir = Path.Combine(Path.GetTempPath(), "tunerbench-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "nsga2_deap.py");
        File.WriteAllText(path, Script);
        var jobs = JsonSerializer.Serialize(problems.Select(p => new object[] { p, seeds, budget }).ToArray());
        var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(path);
        psi.ArgumentList.Add(jobs);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Cannot start {python}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"DEAP NSGA-II failed ({python}): {stderr.Result}");
        }

        var parsed = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, List<double[]>>>>(stdout.Result)!;
        return parsed.ToDictionary(kv => kv.Key, kv => kv.Value.ToDictionary(s => int.Parse(s.Key, CultureInfo.InvariantCulture), s => s.Value));
    }
}
