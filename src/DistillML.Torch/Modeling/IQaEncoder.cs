using TorchSharp.Modules;

namespace DistillML.Torch.Modeling;

/// <summary>What <see cref="BertQaModel"/> needs from a family's encoder (BERT's or DistilBERT's).</summary>
public interface IQaEncoder
{
    /// <summary>The word embedding matrix [vocab, hidden].</summary>
    Parameter WordEmbeddings { get; }

    /// <summary>When set, the output carries every layer's hidden states.</summary>
    bool ReturnHiddenStates { get; set; }

    /// <summary>When set, the output carries every layer's attention probabilities.</summary>
    bool ReturnAttentions { get; set; }
}
