using DistillML.Text.Squad;
using DistillML.TestSupport;
using DistillML.Torch.Teachers;

namespace DistillML.Torch.Tests.Teachers;

public sealed class DemoTeacherTests : IDisposable
{
    readonly string root = Path.Combine(Path.GetTempPath(), $"teacher-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    static readonly DemoTeacherOptions Tiny = new()
    {
        Layers = 1, Hidden = 32, Heads = 2, Intermediate = 64, SequenceLength = 128, DocStride = 32,
        MlmSteps = 3, MlmBatch = 8, MlmSequenceLength = 32, QaSteps = 4, QaBatch = 8, EvaluateEvery = 2,
        EvaluationQuestions = 20, MaxDevQuestions = 40,
    };

    [Fact]
    public void Recipe_runs_end_to_end_and_a_second_request_reuses_the_saved_teacher()
    {
        string squad = Path.GetDirectoryName(SharedAssets.Squad("train-v1.1.json"))!;
        var report = DemoTeacher.Train(squad, SharedAssets.BertVocab, root, Tiny);
        Assert.Equal(3, report.Mlm!.Steps);
        Assert.Equal(new[] { 2, 4 }, report.FineTuning.Evaluations.Select(e => e.Step));
        Assert.Equal(40, report.DevQuestions);
        Assert.Equal(40, report.Dev.Total);
        Assert.True(File.Exists(Path.Combine(root, DemoTeacher.ReportFile)));

        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(root, DemoTeacher.ReportFile)))!;
        Assert.Equal(4 * 8, json["fineTuning"]!["windowsSeen"]!.GetValue<long>()); // steps x batch, not an epoch's windows
        Assert.True(json["fineTuning"]!["windowsPerEpoch"]!.GetValue<int>() > 4 * 8);

        // Fine-tuning from a checkpoint of another shape records the shape trained, not the recipe's.
        string wider = Path.Combine(root, "wider");
        using (var init = new DistillML.Torch.Modeling.BertQaModel(new DistillML.Torch.Modeling.BertConfig { NumLayers = 2, HiddenSize = 48, NumHeads = 3, IntermediateSize = 96, MaxPositionEmbeddings = 128 }) { VocabularyPath = SharedAssets.BertVocab })
            init.Save(wider);
        var fromInit = DemoTeacher.Train(squad, SharedAssets.BertVocab, Path.Combine(root, "from-init"), Tiny with { InitFrom = wider, MlmSteps = 0 });
        Assert.Equal(2, fromInit.Architecture.NumLayers);
        var initJson = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(root, "from-init", DemoTeacher.ReportFile)))!;
        Assert.Equal(48, initJson["architecture"]!["hidden"]!.GetValue<int>());

        var written = File.GetLastWriteTimeUtc(Path.Combine(root, DemoTeacher.ReportFile));
        using var cached = DemoTeacher.LoadOrTrain(squad, SharedAssets.BertVocab, root, Tiny);
        Assert.Equal(written, File.GetLastWriteTimeUtc(Path.Combine(root, DemoTeacher.ReportFile))); // not retrained
        Assert.Equal(report.Parameters, cached.ParameterCount);
    }

    [Fact]
    public void Missing_squad_file_says_where_squad_is_published()
    {
        var e = Assert.Throws<FileNotFoundException>(() => SquadDirectory.Load(root, squad2: false));
        Assert.Contains("rajpurkar.github.io/SQuAD-explorer", e.Message);
        Assert.Contains("train-v1.1.json", e.Message);
    }

    [Fact]
    public void Squad2_variant_evaluates_on_the_half_of_dev_v2_not_used_for_training()
    {
        string squad = Path.GetDirectoryName(SharedAssets.Squad("train-v1.1.json"))!;
        var (train, dev) = SquadDirectory.Load(squad, squad2: true);
        Assert.Equal(87_599 + 6_078, train.Count);
        Assert.Equal(11_873 - 6_078, dev.Count);
        Assert.Contains(dev, e => e.IsImpossible);
        var trained = train.Select(e => (e.Context, e.Question)).ToHashSet();
        Assert.DoesNotContain(dev, e => trained.Contains((e.Context, e.Question)));
    }
}
