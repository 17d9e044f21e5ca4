using DistillML.TestSupport;
using DistillML.Torch.Modeling;
using Spectre.Console;
using TorchSharp;

namespace DistillML.Cli.Tests;

public sealed class SweepCommandTests : IDisposable
{
    readonly string root = Path.Combine(Path.GetTempPath(), $"cli-sweep-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    static (int Exit, string Output) Run(params string[] args)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No, Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 200;
        int exit = Program.Build(console).Parse(args).Invoke(new System.CommandLine.InvocationConfiguration { Output = writer, Error = writer });
        return (exit, writer.ToString());
    }

    string TinyTeacher()
    {
        string dir = Path.Combine(root, "teacher");
        torch.manual_seed(1);
        using var model = new BertQaModel(new BertConfig { NumLayers = 1, HiddenSize = 32, NumHeads = 2, IntermediateSize = 64, MaxPositionEmbeddings = 128 }) { VocabularyPath = SharedAssets.BertVocab };
        model.Save(dir);
        return dir;
    }

    [Fact]
    public void Sweep_prints_the_front_writes_the_report_and_answers_with_the_best_student_through_onnx_then_report_rewrites_it_from_the_store()
    {
        string outDir = Path.Combine(root, "sweep");
        var (exit, output) = Run("sweep", "--data-dir", Path.GetDirectoryName(SharedAssets.Squad("train-v1.1.json"))!, "--teacher", TinyTeacher(), "--out", outDir,
            "--trials", "2", "--steps", "4", "--eval-every", "2", "--train-questions", "32", "--dev-questions", "8", "--seq", "128", "--batch", "8", "--study", "cli");
        Assert.True(exit == 0, output);
        Assert.Contains("Pareto front of 'cli'", output);
        Assert.Contains("best trade-off", output);
        Assert.Contains("Q: ", output);
        foreach (var file in new[] { "trials.csv", "pareto.json", "pareto.png", "report.html" })
            Assert.True(new FileInfo(Path.Combine(outDir, "report", file)).Length > 0, file);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(outDir, "report", "trials.csv")).Length); // header + 2 trials
        Assert.Contains("data:image/png;base64,", File.ReadAllText(Path.Combine(outDir, "report", "report.html")));
        Assert.True(File.Exists(Path.Combine(outDir, "best", "student.onnx")));
        Assert.Contains("2 trials of 4 steps x 8 windows of 128 tokens, dev F1 every 2 steps", output); // said up front
        string log = File.ReadAllText(Path.Combine(outDir, "progress.log")); // the same events as plain lines, for runs without a terminal
        Assert.Contains("cli trial 0 started: L1 H32", log); // the study names each line: studies may share OUT
        Assert.Contains("trial 0 teacher-logits", log);
        Assert.Contains("trial 1 distill 4/4", log);
        Assert.Contains("trial 1 step 4: dev F1", log);
        Assert.Contains("trial 1 completed: F1", log);

        string again = Path.Combine(root, "again");
        var (reportExit, reportOutput) = Run("report", "--store", $"Data Source={Path.Combine(outDir, "sweep.db")}", "--study", "cli", "--out", again);
        Assert.True(reportExit == 0, reportOutput);
        Assert.Equal(File.ReadAllText(Path.Combine(outDir, "report", "trials.csv")), File.ReadAllText(Path.Combine(again, "trials.csv")));

        var (resumed, resumedOutput) = Run("sweep", "--data-dir", Path.GetDirectoryName(SharedAssets.Squad("train-v1.1.json"))!, "--teacher", Path.Combine(root, "teacher"), "--out", outDir,
            "--trials", "3", "--steps", "4", "--eval-every", "2", "--train-questions", "32", "--dev-questions", "8", "--seq", "128", "--batch", "8", "--study", "cli");
        Assert.True(resumed == 0, resumedOutput);
        Assert.Contains("3 trials (2 finished before) of 4 steps", resumedOutput);
        Assert.Contains("trial 2 completed", File.ReadAllText(Path.Combine(outDir, "progress.log")));
    }

    [Fact]
    public void Report_of_a_study_the_store_lacks_says_so()
    {
        string db = Path.Combine(root, "empty.db");
        Directory.CreateDirectory(root);
        using (DistillML.Tuning.Storage.TrialStore.Open($"Data Source={db}")) { } // a store with no studies
        var (exit, output) = Run("report", "--store", $"Data Source={db}", "--study", "nope", "--out", Path.Combine(root, "r"));
        Assert.Equal(2, exit);
        Assert.Contains("no study 'nope'", output);
    }
}
