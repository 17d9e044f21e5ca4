using DistillML.TestSupport;
using Spectre.Console;

namespace DistillML.Cli.Tests;

/// <summary>One error policy for every command: user errors are one line and exit 2, bugs show their trace and exit 1.</summary>
public sealed class ErrorPolicyTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("distillml-errors-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private string BrokenCheckpoint()
    {
        string dir = Path.Combine(root, "broken");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "config.json"), "{ \"model_type\": \"bert\", \"vocab_size\": ");
        File.WriteAllText(Path.Combine(dir, "model.safetensors"), "not safetensors");
        return dir;
    }

    private string BadSquadDirectory()
    {
        string dir = Path.Combine(root, "squad");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "train-v1.1.json"), "{\"version\": \"1.1\", \"data\": [{\"title\": \"t\", \"paragraphs\": [{\"context\": 5}]}]}");
        File.WriteAllText(Path.Combine(dir, "dev-v1.1.json"), "{\"version\": \"1.1\", \"data\": []}");
        return dir;
    }

    public static IEnumerable<object[]> BadInputs() =>
    [
        ["evaluate --model {root}/missing --data {squad}/dev-v1.1.json", "vocab.txt"],
        ["export --model {broken} --out {root}/x.onnx", "config.json"],
        ["evaluate --model {broken} --data {squad}/dev-v1.1.json", "vocab.txt"],
        ["distill --teacher {broken} --data-dir {badsquad}", "train-v1.1.json"],
        ["import --onnx {broken}/config.json --vocab {vocab} --out {root}/imported", "not an ONNX model"],
        ["import --onnx {root}/none.onnx --vocab {vocab} --out {root}/imported", "none.onnx"],
        ["report --store Data Source={root}/no/such/dir/x.db --study s --out {root}/report", "x.db"],
        ["report --store Data Source={root}/x.db --study s --out {root}/report", "does not exist"],
        ["evaluate --model {root}/none.onnx --data {squad}/dev-v1.1.json", "none.onnx"],
        ["evaluate --model {root}/none.onnx --data {squad}/dev-v1.1.json --seq 256", "--seq and --stride apply to checkpoints"],
        ["teacher --data-dir {squad} --lr 0 --out {root}/t", "--lr 0"],
        ["teacher --data-dir {squad} --squad2 --unanswerable-share 1.5 --out {root}/t", "--unanswerable-share 1.5"],
        ["teacher --data-dir {squad} --steps 0 --out {root}/t", "--steps 0"],
        ["teacher --data-dir {squad} --squad2 --squad2-repeats 0 --out {root}/t", "--squad2-repeats 0"],
        ["quantize --model {root}/missing --data {squad}/dev-v1.1.json --out {root}/q.onnx", "vocab.txt"],
    ];

    [Fact]
    public void Report_on_a_store_that_does_not_exist_creates_no_database()
    {
        string db = Path.Combine(root, "nope.db");
        var (exit, output) = CliTests.Run("report", "--store", $"Data Source={db}", "--study", "s", "--out", Path.Combine(root, "report"));
        Assert.Equal(2, exit);
        Assert.Contains("nope.db", output);
        Assert.False(File.Exists(db), "reading a store must not create it");
    }

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void A_user_error_is_one_line_naming_its_cause_and_exits_2(string command, string named)
    {
        string line = command.Replace("{root}", root).Replace("{broken}", BrokenCheckpoint()).Replace("{badsquad}", BadSquadDirectory())
            .Replace("{squad}", Path.GetDirectoryName(SharedAssets.Squad("dev-v1.1.json"))!).Replace("{vocab}", SharedAssets.BertVocab);
        var args = line.StartsWith("report", StringComparison.Ordinal)
            ? ["report", "--store", line.Split("--store ")[1].Split(" --study")[0], "--study", "s", "--out", Path.Combine(root, "report")]
            : line.Split(' ');
        var (exit, output) = CliTests.Run(args);
        Assert.True(exit == 2, $"exit {exit}: {output}");
        Assert.Contains(named, output);
        Assert.DoesNotContain("   at ", output); // no stack trace
    }

    static (int Exit, string Output) Handle(Exception e, bool verbose)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Out = new AnsiConsoleOutput(writer) });
        console.Profile.Width = 300;
        try { throw e; } catch (Exception thrown) { return (ErrorPolicy.Handle(thrown, console, verbose), writer.ToString()); }
    }

    [Fact]
    public void A_bug_shows_its_stack_trace_and_exits_1()
    {
        var (exit, output) = Handle(new NullReferenceException("boom"), verbose: false);
        Assert.Equal(1, exit);
        Assert.Contains("internal error", output);
        Assert.Contains("   at ", output);
    }

    [Fact]
    public void Disk_full_and_permission_errors_are_user_errors_with_traces_only_under_verbose()
    {
        var (exit, output) = Handle(new IOException("No space left on device : '/out/pareto.png'"), verbose: false);
        Assert.Equal(2, exit);
        Assert.Contains("No space left on device", output);
        Assert.DoesNotContain("   at ", output);
        var (again, verbose) = Handle(new UnauthorizedAccessException("Access to the path '/ro/x' is denied."), verbose: true);
        Assert.Equal(2, again);
        Assert.Contains("   at ", verbose);
    }

    [Fact]
    public void Cancellation_exits_130()
    {
        Assert.Equal(130, Handle(new OperationCanceledException(), verbose: false).Exit);
        Assert.Equal(130, Handle(new AggregateException(new OperationCanceledException()), verbose: false).Exit);
    }
}
