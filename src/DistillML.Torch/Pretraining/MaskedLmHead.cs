using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using DistillML.Torch.Modeling;

namespace DistillML.Torch.Pretraining;

/// <summary>
/// BERT's masked-language-model head (Hugging Face <c>BertOnlyMLMHead</c>: <c>cls.predictions.transform.dense</c>,
/// <c>transform.LayerNorm</c>, a decoder tied to the word embeddings, and <c>cls.predictions.bias</c>).
/// Scores only the positions it is given, which spares the [tokens x vocab] product at unmasked positions.
/// </summary>
public sealed class MaskedLmHead : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    private readonly Linear dense;
    private readonly LayerNorm LayerNorm;
    private readonly Parameter bias;
#pragma warning restore IDE1006
    // Held through a delegate so RegisterComponents does not register the encoder's embeddings here a second time.
    private readonly Func<Parameter> decoder;

    /// <summary>Creates the head; its decoder is <paramref name="wordEmbeddings"/> itself (tied, not copied); its dense layer is drawn from <paramref name="generator"/> (null: torch's global one).</summary>
    public MaskedLmHead(BertConfig config, Parameter wordEmbeddings, Generator? generator = null) : base("BertLMPredictionHead")
    {
        dense = nn.Linear(config.HiddenSize, config.HiddenSize);
        LayerNorm = nn.LayerNorm(config.HiddenSize, eps: config.LayerNormEps);
        bias = new Parameter(zeros(config.VocabSize, device: wordEmbeddings.device));
        decoder = () => wordEmbeddings;
        RegisterComponents();
        using (no_grad()) dense.weight!.normal_(0, config.InitializerRange, generator); // TorchSharp 0.107's nn.init.normal_ ignores a generator
        nn.init.zeros_(dense.bias!);
        this.to(wordEmbeddings.device);
    }

    /// <summary>Vocabulary logits [n, vocab] for hidden states [n, hidden].</summary>
    public override Tensor forward(Tensor hidden) =>
        LayerNorm.call(nn.functional.gelu(dense.call(hidden))).matmul(decoder().t()) + bias;
}
