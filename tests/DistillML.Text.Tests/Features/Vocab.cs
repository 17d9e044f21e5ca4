using DistillML.TestSupport;
using DistillML.Text.Features;

namespace DistillML.Text.Tests.Features;

/// <summary>One encoder over bert-base-uncased for all tests (vocab loading takes a moment).</summary>
internal static class Vocab
{
    static readonly Lazy<BertTextEncoder> Shared = new(() => BertTextEncoder.Create(SharedAssets.BertVocab));
    public static BertTextEncoder Encoder => Shared.Value;
    public static BertFeaturizer Featurizer(FeaturizerOptions? options = null) => new(Encoder, options);
}
