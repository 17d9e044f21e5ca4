using DistillML.Text.Features;
using DistillML.Text.Squad;
using DistillML.TestSupport;
using DistillML.Torch.Modeling;
using DistillML.Torch.OnnxExport;

namespace DistillML.Onnx.Tests.Inference;

/// <summary>
/// A tiny random BERT over the real BERT vocabulary, exported as fp32 ONNX with the standard featurizer settings,
/// and the first few hundred SQuAD 2.0 dev questions: what the inference tests compare TorchSharp and ONNX Runtime on.
/// </summary>
public sealed class DevModel : IDisposable
{
    public const int QuestionCount = 300;

    public static readonly FeaturizerOptions Windows = new() { MaxSequenceLength = 384, DocStride = 128, MaxQueryLength = 64 };

    public DevModel()
    {
        Directory = Path.Combine(Path.GetTempPath(), $"onnx-dev-{Guid.NewGuid():N}");
        Model = TorchRandom.Seeded(21, () => new BertQaModel(new BertConfig
        {
            HiddenSize = 32, NumLayers = 2, NumHeads = 4, IntermediateSize = 64, MaxPositionEmbeddings = 384, InitializerRange = 0.2,
        })
        { VocabularyPath = SharedAssets.BertVocab });
        Model.eval();
        ModelPath = Model.ExportOnnx(Path.Combine(Directory, "model.onnx"), new OnnxExportOptions { Featurizer = Windows }).Path;
        Questions = SquadDataset.Read(SharedAssets.Squad("dev-v2.0.json")).Take(QuestionCount).ToList();
    }

    public string Directory { get; }

    public BertQaModel Model { get; }

    public string ModelPath { get; }

    public IReadOnlyList<SquadExample> Questions { get; }

    public void Dispose()
    {
        Model.Dispose();
        if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true);
    }
}
