using DistillML.Tuning.SearchSpace;

namespace DistillML.Tuning.Storage.Tests.Support;

internal static class Proposals
{
    public static Parameter Point(double x, int layers) =>
        new([new KeyValuePair<string, object>("x", x), new KeyValuePair<string, object>("layers", layers)]);

    /// <summary>A proposal that depends only on the trial number.</summary>
    public static Parameter ByNumber(ProposalContext context) => Point(context.TrialNumber / 100.0, 1 + context.TrialNumber % 8);

    public static Dictionary<string, double> Metrics(double loss) => new() { ["loss"] = loss };
}
