using DistillML.TestSupport;
using DistillML.Torch.Checkpoints;
using DistillML.Torch.OnnxExport;
using DistillML.Torch.Modeling;
using Spectre.Console;
using TorchSharp;

namespace DistillML.Cli.Tests;

public sealed class CliTests : IDisposable
{
    readonly string root = Path.Combine(Path.GetTempPath(), $"cli-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    internal static (int Exit, string Output) Run(params string[] args)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 200;
        int exit = Program.Build(console).Parse(args).Invoke(new System.CommandLine.InvocationConfiguration { Output = writer, Error = writer });
        return (exit, writer.ToString());
    }

    [Fact]
    public void Help_lists_the_commands()
    {
        var (exit, output) = Run("--help");
        Assert.Equal(0, exit);
        Assert.Contains("teacher", output);
        Assert.Contains("evaluate", output);
    }

    [Theory]
    [InlineData(true, "sweep", "--data-dir", "d")]
    [InlineData(false, "sweep", "--help")]
    [InlineData(false, "teacher", "-h")]
    [InlineData(false, "--help")]
    [InlineData(false, "sweep", "--no-such-option")]
    public void Torch_is_set_up_only_for_a_command_that_runs(bool runs, params string[] args) =>
        Assert.Equal(runs, Program.RunsACommand(Program.Build(AnsiConsole.Console).Parse(args)));

    [Fact]
    public void Evaluate_prints_the_official_metrics_of_a_checkpoint()
    {
        torch.manual_seed(1);
        using (var model = new BertQaModel(new BertConfig { NumLayers = 1, HiddenSize = 32, NumHeads = 2, IntermediateSize = 64 }) { VocabularyPath = SharedAssets.BertVocab })
            model.Save(Path.Combine(root, "model"));
        var (exit, output) = Run("evaluate", "--model", Path.Combine(root, "model"), "--data", SharedAssets.Squad("dev-v2.0.json"), "--limit", "30", "--seq", "128", "--stride", "32");
        Assert.True(exit == 0, output);
        Assert.Contains("HasAns_f1", output);
        Assert.Contains("best_f1_thresh", output);
    }

    [Fact]
    public void Evaluate_scores_an_exported_onnx_model_and_writes_the_files_the_official_script_reads()
    {
        torch.manual_seed(1);
        string onnx = Path.Combine(root, "onnx", "student.onnx");
        using (var model = new BertQaModel(new BertConfig { NumLayers = 1, HiddenSize = 32, NumHeads = 2, IntermediateSize = 64 }) { VocabularyPath = SharedAssets.BertVocab })
            model.ExportOnnx(onnx, new DistillML.Torch.OnnxExport.OnnxExportOptions { Featurizer = new DistillML.Text.Features.FeaturizerOptions { MaxSequenceLength = 128, DocStride = 48 } });
        string predictions = Path.Combine(root, "predictions.json"), naProbs = Path.Combine(root, "na.json"), nbest = Path.Combine(root, "nbest.json");
        var (exit, output) = Run("evaluate", "--model", onnx, "--data", SharedAssets.Squad("dev-v2.0.json"), "--sample", "20", "--predictions", predictions, "--na-probs", naProbs, "--nbest", nbest);
        Assert.True(exit == 0, output);
        Assert.Contains("windows of 128 (stride 48)", output);
        Assert.Contains("HasAns_f1", output);
        var answers = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(predictions))!;
        var probabilities = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(naProbs))!;
        Assert.Equal(20, answers.Count);
        Assert.Equal(answers.Keys.Order(), probabilities.Keys.Order());
        Assert.All(probabilities.Values, p => Assert.InRange(p, 0, 1));
        var lists = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(nbest))!.AsObject();
        Assert.Equal(answers.Keys.Order(), lists.Select(kv => kv.Key).Order());
        foreach (var (id, list) in lists)
        {
            var entries = list!.AsArray();
            Assert.NotEmpty(entries);
            Assert.All(entries, e => Assert.Equal(["text", "probability", "start_logit", "end_logit"], e!.AsObject().Select(kv => kv.Key)));
            if (answers[id].Length > 0) Assert.Equal(answers[id], (string)entries[0]!["text"]!); // the best span is the answer unless "no answer" won
        }
        Assert.Empty(Directory.GetFiles(root, "*.tmp-*"));
    }

    [Fact]
    public void Evaluate_refuses_windows_longer_than_the_models_positions_with_a_one_line_error()
    {
        torch.manual_seed(1);
        using (var model = new BertQaModel(new BertConfig { NumLayers = 1, HiddenSize = 32, NumHeads = 2, IntermediateSize = 64, MaxPositionEmbeddings = 128 }) { VocabularyPath = SharedAssets.BertVocab })
            model.Save(Path.Combine(root, "model"));
        var (exit, output) = Run("evaluate", "--model", Path.Combine(root, "model"), "--data", SharedAssets.Squad("dev-v1.1.json"), "--seq", "256");
        Assert.Equal(2, exit);
        Assert.Contains("--seq 256 is longer than the model's 128 positions", output);
    }

    [Fact]
    public void Evaluate_without_a_vocabulary_says_so_and_fails()
    {
        torch.manual_seed(1);
        using (var model = new BertQaModel(new BertConfig { NumLayers = 1, HiddenSize = 32, NumHeads = 2, IntermediateSize = 64 }))
            model.Save(Path.Combine(root, "novocab"));
        var (exit, output) = Run("evaluate", "--model", Path.Combine(root, "novocab"), "--data", SharedAssets.Squad("dev-v2.0.json"));
        Assert.Equal(2, exit);
        Assert.Contains("vocab.txt not found", output);
    }

    [Theory]
    [InlineData("minilm")]
    [InlineData("scratch")]
    public void Teacher_with_a_missing_data_directory_says_where_squad_is_published(string from)
    {
        var (exit, output) = Run("teacher", "--from", from, "--data-dir", Path.Combine(root, "nowhere"), "--vocab", SharedAssets.BertVocab, "--out", Path.Combine(root, "t"));
        Assert.Equal(2, exit);
        Assert.Contains("SQuAD-explorer", output);
        Assert.False(Directory.Exists(Path.Combine(root, "pretrained")), "nothing is imported before the data is found");
    }

    [Fact]
    public void Teacher_from_an_unknown_source_names_the_choices()
    {
        var (exit, output) = Run("teacher", "--from", Path.Combine(root, "no-such-checkpoint"), "--data-dir", Path.GetDirectoryName(SharedAssets.Squad("train-v1.1.json"))!, "--out", Path.Combine(root, "t"));
        Assert.Equal(2, exit);
        Assert.Contains("minilm, arctic-xs", output);
    }

    [Fact]
    public void Teacher_refuses_to_train_over_the_checkpoint_of_an_unfinished_run_without_force()
    {
        SaveTinyTeacher();
        string run = Path.Combine(root, "t");
        string weights = Path.Combine(run, "model", BertCheckpoint.WeightsFile);
        Directory.CreateDirectory(Path.GetDirectoryName(weights)!);
        File.Copy(Path.Combine(root, "teacher", BertCheckpoint.WeightsFile), weights); // what a cancelled run leaves: the best weights, no report.json
        byte[] before = File.ReadAllBytes(weights);

        var (exit, output) = Run("teacher", "--from", Path.Combine(root, "teacher"), "--data-dir", Path.GetDirectoryName(SharedAssets.Squad("train-v1.1.json"))!,
            "--out", run, "--steps", "1");

        Assert.Equal(2, exit);
        Assert.Contains("unfinished run", output);
        Assert.Contains("--force", output);
        Assert.Equal(before, File.ReadAllBytes(weights));
        Assert.False(File.Exists(Path.Combine(run, "progress.log")), "nothing was started");
    }

    [Fact]
    public void Import_turns_an_exported_model_back_into_a_checkpoint()
    {
        string vocab = Path.Combine(root, "vocab.txt");
        Directory.CreateDirectory(root);
        File.WriteAllLines(vocab, new[] { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" }.Concat(Enumerable.Range(5, 35).Select(i => $"tok{i}")));
        using (var model = new BertQaModel(new BertConfig { VocabSize = 40, HiddenSize = 16, NumLayers = 2, NumHeads = 2, IntermediateSize = 32, MaxPositionEmbeddings = 512 }) { VocabularyPath = vocab })
            DistillML.Torch.OnnxExport.OnnxExporter.ExportOnnx(model, Path.Combine(root, "m.onnx"));
        var (exit, output) = Run("import", "--onnx", Path.Combine(root, "m.onnx"), "--vocab", vocab, "--out", Path.Combine(root, "imported"));
        Assert.True(exit == 0, output);
        Assert.Contains("2 layers, hidden 16, 2 heads, intermediate 32", output);
        using var loaded = BertQaModel.Load(Path.Combine(root, "imported"));
        Assert.Equal(2, loaded.Config.NumLayers);
    }

    // A 2-layer teacher with the real vocabulary in root/teacher, for the distill tests.
    private void SaveTinyTeacher()
    {
        torch.manual_seed(1);
        using var model = new BertQaModel(new BertConfig { NumLayers = 2, HiddenSize = 32, NumHeads = 2, IntermediateSize = 64, MaxPositionEmbeddings = 128 }) { VocabularyPath = SharedAssets.BertVocab };
        model.Save(Path.Combine(root, "teacher"));
    }

    [Fact]
    public void Distill_trains_half_the_teachers_layers_compares_them_and_saves_and_exports_the_student()
    {
        SaveTinyTeacher();
        string outDir = Path.Combine(root, "distill");
        var (exit, output) = Run("distill", "--teacher", Path.Combine(root, "teacher"), "--data-dir", Path.GetDirectoryName(SharedAssets.Squad("train-v1.1.json"))!,
            "--out", outDir, "--steps", "4", "--train-questions", "32", "--dev-questions", "8", "--seq", "128", "--batch", "8", "--onnx", "Int8");
        Assert.True(exit == 0, output);
        Assert.Contains("student L1/H32/A2/I64", output);
        Assert.Matches(@"teacher\W+[\d,]+\W+100\s?%", output);
        Assert.Matches(@"student\W+[\d,]+\W+\d+\s?%", output);
        Assert.Contains("computed into the cache", output);
        using (var student = BertQaModel.Load(Path.Combine(outDir, "student")))
            Assert.Equal(1, student.Config.NumLayers);
        Assert.True(new FileInfo(Path.Combine(outDir, "student.onnx")).Length > 0);

        // A second student reuses the teacher's logits.
        var (again, againOutput) = Run("distill", "--teacher", Path.Combine(root, "teacher"), "--data-dir", Path.GetDirectoryName(SharedAssets.Squad("train-v1.1.json"))!,
            "--out", outDir, "--steps", "2", "--train-questions", "32", "--dev-questions", "8", "--seq", "128", "--batch", "8", "--alpha-ce", "0.9");
        Assert.True(again == 0, againOutput);
        Assert.Contains("read from the cache", againOutput);
    }

    [Fact]
    public void Distill_that_cannot_save_where_asked_keeps_the_student_in_the_temp_folder_and_exits_2()
    {
        SaveTinyTeacher();
        string outDir = Path.Combine(root, "blocked");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "student"), "a file where the student directory should go");
        var (exit, output) = Run("distill", "--teacher", Path.Combine(root, "teacher"), "--data-dir", Path.GetDirectoryName(SharedAssets.Squad("train-v1.1.json"))!,
            "--out", outDir, "--steps", "2", "--train-questions", "16", "--dev-questions", "4", "--seq", "128", "--batch", "8");
        Assert.True(exit == 2, output);
        var saved = System.Text.RegularExpressions.Regex.Match(output.Replace("\n", " "), @"saved it to (\S+distillml-student-\S+?) instead");
        Assert.True(saved.Success, output);
        string fallback = saved.Groups[1].Value;
        try
        {
            using var student = BertQaModel.Load(fallback);
            Assert.Equal(1, student.Config.NumLayers);
        }
        finally
        {
            Directory.Delete(fallback, recursive: true);
        }
    }

    [Fact]
    public void Distill_without_a_teacher_checkpoint_names_the_missing_file()
    {
        var (exit, output) = Run("distill", "--teacher", Path.Combine(root, "none"), "--data-dir", Path.GetDirectoryName(SharedAssets.Squad("train-v1.1.json"))!,
            "--out", Path.Combine(root, "d"), "--train-questions", "8", "--dev-questions", "4");
        Assert.Equal(2, exit);
        Assert.Contains("config.json", output);
    }

    [Fact]
    public void Sweep_rejects_an_unknown_tuner()
    {
        var (exit, output) = Run("sweep", "--data-dir", root, "--tuner", "grid");
        Assert.NotEqual(0, exit);
        Assert.Contains("grid", output);
    }

    [Fact]
    public void Export_writes_an_onnx_file_with_its_vocabulary()
    {
        torch.manual_seed(1);
        using (var model = new BertQaModel(new BertConfig { NumLayers = 1, HiddenSize = 32, NumHeads = 2, IntermediateSize = 64 }) { VocabularyPath = SharedAssets.BertVocab })
            model.Save(Path.Combine(root, "model"));
        string onnx = Path.Combine(root, "out", "student.onnx");
        Directory.CreateDirectory(Path.GetDirectoryName(onnx)!);
        var (exit, output) = Run("export", "--model", Path.Combine(root, "model"), "--out", onnx, "--format", "Int8");
        Assert.True(exit == 0, output);
        Assert.True(new FileInfo(onnx).Length > 0);
        Assert.True(File.Exists(Path.Combine(root, "out", "vocab.txt")));
        Assert.Contains("Int8", output);
    }

    [Fact]
    public void Export_with_ort_fused_operators_gives_a_model_that_evaluate_scores_like_the_portable_one()
    {
        torch.manual_seed(1);
        using (var model = new BertQaModel(new BertConfig { NumLayers = 1, HiddenSize = 32, NumHeads = 2, IntermediateSize = 64 }) { VocabularyPath = SharedAssets.BertVocab })
            model.Save(Path.Combine(root, "model"));
        string portable = Path.Combine(root, "portable", "student.onnx"), fused = Path.Combine(root, "fused", "student.onnx");
        Assert.Equal(0, Run("export", "--model", Path.Combine(root, "model"), "--out", portable, "--seq", "128", "--stride", "48").Exit);
        var (exit, output) = Run("export", "--model", Path.Combine(root, "model"), "--out", fused, "--seq", "128", "--stride", "48", "--ort-fused");
        Assert.True(exit == 0, output);
        Assert.Contains("ONNX Runtime fused operators", output);
        using (var session = new Microsoft.ML.OnnxRuntime.InferenceSession(fused))
            Assert.Equal("ort-fused", session.ModelMetadata.CustomMetadataMap[DistillML.Torch.OnnxExport.OnnxExporter.GraphKey]);
        string Answers(string onnx, string name)
        {
            string file = Path.Combine(root, name + ".json");
            var (code, text) = Run("evaluate", "--model", onnx, "--data", SharedAssets.Squad("dev-v1.1.json"), "--sample", "30", "--predictions", file);
            Assert.True(code == 0, text);
            return File.ReadAllText(file);
        }
        Assert.Equal(Answers(portable, "portable"), Answers(fused, "fused"));
    }

    [Fact]
    public async Task Serve_answers_over_http_until_cancelled()
    {
        torch.manual_seed(1);
        using (var model = new BertQaModel(new BertConfig { NumLayers = 1, HiddenSize = 32, NumHeads = 2, IntermediateSize = 64 }) { VocabularyPath = SharedAssets.BertVocab })
            model.Save(Path.Combine(root, "model"));
        string onnx = Path.Combine(root, "served", "student.onnx");
        Directory.CreateDirectory(Path.GetDirectoryName(onnx)!);
        Assert.Equal(0, Run("export", "--model", Path.Combine(root, "model"), "--out", onnx).Exit);

        int port;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0)) { probe.Start(); port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port; }
        string url = $"http://127.0.0.1:{port}";
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, Interactive = InteractionSupport.No, Out = new AnsiConsoleOutput(new StringWriter()) });
        var serving = Program.Build(console).Parse(["serve", "--model", onnx, "--urls", url]).InvokeAsync(null, stop.Token);

        using var http = new HttpClient { BaseAddress = new Uri(url) };
        HttpResponseMessage? health = null;
        for (int i = 0; i < 100 && health is null; i++)
        {
            try { health = await http.GetAsync("/health"); }
            catch (HttpRequestException) { await Task.Delay(200); }
        }
        Assert.NotNull(health);
        Assert.Equal(System.Net.HttpStatusCode.OK, health!.StatusCode);
        var answer = await http.PostAsync("/answer", new StringContent("{\"question\":\"Who?\",\"context\":\"Ada wrote it.\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("noAnswerProbability", await answer.Content.ReadAsStringAsync());
        var bad = await http.PostAsync("/answer", new StringContent("{\"question\":\"Who?\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);

        stop.Cancel();
        await serving.WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { }); // stops without hanging
        Assert.True(serving.IsCompleted);
    }
}
