using DistillML.Torch.Modeling;
using DistillML.Torch.OnnxExport;
using Microsoft.ML.OnnxRuntime;

namespace DistillML.Onnx.Tests.Export;

/// <summary>One tiny model of each family (BERT, DistilBERT, ELECTRA with factorised embeddings), each exported once in every weight format, shared by the export tests.</summary>
public sealed class ExportedModels : IDisposable
{
    private readonly Dictionary<(ModelFamily, OnnxWeightFormat), (OnnxExportResult Result, InferenceSession Session)> exports = [];

    public ExportedModels()
    {
        Directory = Path.Combine(Path.GetTempPath(), $"onnx-export-{Guid.NewGuid():N}");
        VocabPath = TinyModels.WriteVocabulary(Path.Combine(Directory, "vocab-source"));
        foreach (var family in Enum.GetValues<ModelFamily>())
        {
            var model = TinyModels.Create(family, VocabPath, seed: family switch { ModelFamily.Bert => 11, ModelFamily.DistilBert => 12, _ => 13 });
            Models[family] = model;
            foreach (var format in Enum.GetValues<OnnxWeightFormat>())
            {
                var options = new OnnxExportOptions
                {
                    WeightFormat = format,
                    Featurizer = new() { MaxSequenceLength = 384, DocStride = 128, MaxQueryLength = 64 },
                };
                var result = model.ExportOnnx(Path.Combine(Directory, $"{family}-{format}".ToLowerInvariant(), "model.onnx"), options);
                exports[(family, format)] = (result, new InferenceSession(result.Path));
            }
        }
    }

    public string Directory { get; }

    public string VocabPath { get; }

    public Dictionary<ModelFamily, BertQaModel> Models { get; } = [];

    public OnnxExportResult Export(ModelFamily family, OnnxWeightFormat format) => exports[(family, format)].Result;

    public InferenceSession Session(ModelFamily family, OnnxWeightFormat format) => exports[(family, format)].Session;

    public void Dispose()
    {
        foreach (var (_, session) in exports.Values) session.Dispose();
        foreach (var model in Models.Values) model.Dispose();
        if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true);
    }
}
