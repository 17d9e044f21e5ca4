using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DistillML.Torch.Modeling;

/// <summary>Scaled dot-product attention as Hugging Face's BERT and DistilBERT compute it, shared by both families.</summary>
internal static class AttentionMath
{
    // bfloat16 and float32 share float32's exponent range, but float.MinValue rounds to -inf in bfloat16; these are the
    // largest finite magnitudes of each dtype (torch.finfo(dtype).min), as transformers uses.
    const double BFloat16Lowest = -3.3895313892515355e38;

    /// <summary>
    /// Turns a [batch, seq] 1/0 padding mask into the additive bias [batch, 1, 1, seq]: 0 where attended and the
    /// dtype's lowest finite value where masked, exactly as transformers' <c>get_extended_attention_mask</c>.
    /// </summary>
    public static Tensor MaskBias(Tensor attentionMask, ScalarType dtype)
    {
        var keep = attentionMask.to_type(dtype).unsqueeze(1).unsqueeze(2);
        double lowest = dtype switch
        {
            ScalarType.Float16 => -65504.0,
            ScalarType.BFloat16 => BFloat16Lowest,
            ScalarType.Float64 => double.MinValue,
            _ => float.MinValue,
        };
        return keep.Times(-lowest).PlusValue(lowest); // (1 - keep) * lowest, exactly: 0 where kept
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
    /// Whether attention runs libtorch's fused kernel: never when probabilities are requested or attention dropout is
    /// active (same result only without them); with <see cref="AttentionImplementation.Auto"/> not in bfloat16 without
    /// gradients either (see there for the measurements).
    /// </summary>
    internal static bool UsesFusedKernel(ComputeSettings compute, bool needProbabilities, bool dropoutActive, bool gradients) =>
        !needProbabilities && !dropoutActive && compute.Attention switch
        {
            AttentionImplementation.Sdpa => true,
            AttentionImplementation.Auto => compute.Precision != Precision.BFloat16Mixed || gradients,
            _ => false,
        };

    /// <summary>
    /// Multi-head attention of [batch, seq, hidden] <paramref name="hidden"/> through the q/k/v projections, under the
    /// additive [batch, 1, 1, seq] <paramref name="maskBias"/>; returns the merged context (before the output projection)
    /// and, on the eager path, the probabilities (null on the fused path).
    /// </summary>
    public static (Tensor Context, Tensor? Probabilities) SelfAttend(
        Linear query, Linear key, Linear value, Tensor hidden, Tensor maskBias, int heads, FastDropout dropout,
        ComputeSettings compute, bool needProbabilities)
    {
        var input = compute.ToMatmul(hidden); // one cast for three projections
        var q = SplitHeads(compute.Project(query, input), heads);
        var k = SplitHeads(compute.Project(key, input), heads);
        var v = SplitHeads(compute.Project(value, input), heads);
        var bias = compute.ToMatmul(maskBias);

        // libtorch's CPU flash kernel has no dropout: with attention dropout active it falls back to its math path,
        // which measured 2.5x slower than the eager path below (fwd+bwd, [32, 6, 256, 64], bf16 and fp32 alike).
        if (UsesFusedKernel(compute, needProbabilities, dropout.IsActive, is_grad_enabled()))
            return (MergeHeads(nn.functional.scaled_dot_product_attention(q, k, v, bias, 0.0, false)), null);

        double scale = 1.0 / Math.Sqrt(q.shape[3]);
        var scores = q.matmul(k.transpose(-1, -2)).Times(scale).Plus(bias);
        var probabilities = nn.functional.softmax(scores, -1);
        var context = dropout.call(probabilities).matmul(v);
        return (MergeHeads(context), probabilities);
    }
}
