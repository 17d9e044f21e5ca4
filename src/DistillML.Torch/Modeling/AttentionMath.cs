using TorchSharp;
using static TorchSharp.torch;

namespace DistillML.Torch.Modeling;

/// <summary>Scaled dot-product attention as Hugging Face's eager BERT and DistilBERT compute it, shared by both families.</summary>
internal static class AttentionMath
{
    /// <summary>
    /// Turns a [batch, seq] 1/0 padding mask into the additive bias [batch, 1, 1, seq]: 0 where attended and the
    /// dtype's lowest finite value where masked, exactly as transformers' <c>get_extended_attention_mask</c>.
    /// </summary>
    public static Tensor MaskBias(Tensor attentionMask, ScalarType dtype)
    {
        var keep = attentionMask.to_type(dtype).unsqueeze(1).unsqueeze(2);
        double lowest = dtype == ScalarType.Float16 ? -65504.0 : dtype == ScalarType.Float64 ? double.MinValue : float.MinValue;
        return (1.0 - keep) * lowest;
    }

    /// <summary>[batch, seq, hidden] to [batch, heads, seq, head size].</summary>
    public static Tensor SplitHeads(Tensor x, int heads)
    {
        long b = x.shape[0], s = x.shape[1], h = x.shape[2];
        return x.view(b, s, heads, h / heads).transpose(1, 2);
    }

    /// <summary>[batch, heads, seq, head size] to [batch, seq, hidden].</summary>
    public static Tensor MergeHeads(Tensor x)
    {
        long b = x.shape[0], heads = x.shape[1], s = x.shape[2], d = x.shape[3];
        return x.transpose(1, 2).contiguous().view(b, s, heads * d);
    }

    /// <summary>
    /// softmax(q kᵀ / √d + bias) with dropout on the probabilities; returns the merged context and the probabilities.
    /// </summary>
    public static (Tensor Context, Tensor Probabilities) Attend(Tensor q, Tensor k, Tensor v, Tensor maskBias, nn.Module<Tensor, Tensor> dropout)
    {
        double scale = 1.0 / Math.Sqrt(q.shape[3]);
        var scores = q.matmul(k.transpose(-1, -2)) * scale + maskBias;
        var probabilities = nn.functional.softmax(scores, -1);
        var context = dropout.forward(probabilities).matmul(v);
        return (MergeHeads(context), probabilities);
    }
}
