using DistillML.TestSupport;
using DistillML.Text.Features;
using DistillML.Text.Squad;
using DistillML.Torch.Modeling;
using TorchSharp;

namespace DistillML.Torch.Tests.Distillation;

/// <summary>Small real data and tiny models shared by the distillation tests.</summary>
internal static class TinyModels
{
    public static readonly Lazy<BertFeaturizer> Featurizer = new(() => BertFeaturizer.Create(new FeaturizerOptions
    {
        VocabPath = SharedAssets.BertVocab, MaxSequenceLength = 128, DocStride = 32, MaxQueryLength = 32,
    }));

    public static readonly Lazy<IReadOnlyList<SquadExample>> Train = new(() => SquadDataset.Read(SharedAssets.Squad("train-v1.1.json")).Take(240).ToList());

    public static BertConfig Config(int layers, int hidden, int heads, int intermediate, ModelFamily family = ModelFamily.Bert, double dropout = 0.1) => new()
    {
        HiddenDropout = dropout, AttentionDropout = dropout, QaDropout = dropout, Family = family, NumLayers = layers, HiddenSize = hidden, NumHeads = heads, IntermediateSize = intermediate,
        MaxPositionEmbeddings = 128, TypeVocabSize = family == ModelFamily.Bert ? 2 : 0,
    };

    /// <summary>
    /// A new model object with <paramref name="model"/>'s weights, whatever generator drew them.
    /// </summary>
    public static BertQaModel Clone(BertQaModel model)
    {
        var copy = new BertQaModel(model.Config) { VocabularyPath = model.VocabularyPath };
        using var noGrad = torch.no_grad();
        var source = model.state_dict();
        foreach (var (name, value) in copy.state_dict()) value.copy_(source[name]);
        return copy;
    }

    public static BertQaModel Untrained(int seed, int layers = 2, int hidden = 64)
    {
        using var generator = new torch.Generator((ulong)seed); // its own generator: tests run in parallel
        return new BertQaModel(Config(layers, hidden, 4, hidden * 2), null, generator) { VocabularyPath = SharedAssets.BertVocab };
    }
}
