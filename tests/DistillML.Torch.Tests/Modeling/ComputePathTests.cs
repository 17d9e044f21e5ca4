using DistillML.Torch.Modeling;
using DistillML.Torch.QuestionAnswering;
using TorchSharp;
using static TorchSharp.torch;

namespace DistillML.Torch.Tests.Modeling;

/// <summary>The fused attention and bfloat16 paths against the eager float32 reference.</summary>
public class ComputePathTests
{
    static BertConfig Config(ModelFamily family) => BertQaModelTests.Tiny(family) with
    {
        HiddenSize = 64,
        NumHeads = 4,
        IntermediateSize = 96,
        MaxPositionEmbeddings = 24,
        HiddenDropout = 0,
        AttentionDropout = 0,
        QaDropout = 0,
    };

    static (Tensor Ids, Tensor Mask, Tensor? Types, Tensor Labels) Batch(ModelFamily family)
    {
        var generator = new torch.Generator(11);
        var ids = torch.randint(1, 40, [3, 20], generator: generator, dtype: ScalarType.Int64);
        var mask = torch.ones(3, 20, dtype: ScalarType.Int64);
        mask[0, TensorIndex.Slice(13)] = torch.tensor(0L); // padding at the end of two rows
        mask[2, TensorIndex.Slice(7)] = torch.tensor(0L);
        var types = family == ModelFamily.Bert ? (mask * torch.randint(0, 2, [3, 20], generator: generator, dtype: ScalarType.Int64)) : null;
        return (ids, mask, types, torch.tensor(new long[] { 3, 0, 5 }));
    }

    static (float[] Start, float[] End, Dictionary<string, float[]> Gradients) Run(BertQaModel model, ModelFamily family, bool train = true)
    {
        var (ids, mask, types, labels) = Batch(family);
        model.zero_grad();
        if (train) model.train(); else model.eval();
        var output = model.call(ids, mask, types);
        SpanLoss.Compute(output.StartLogits, output.EndLogits, labels, labels).backward();
        var realMask = mask.to_type(ScalarType.Bool);
        return (output.StartLogits.masked_select(realMask).data<float>().ToArray(), output.EndLogits.masked_select(realMask).data<float>().ToArray(),
            model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.data<float>().ToArray()));
    }

    static double MaxDifference(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max();

    static double RelativeError(float[] a, float[] reference)
    {
        double diff = 0, norm = 0;
        for (int i = 0; i < a.Length; i++) { diff += Math.Pow(a[i] - reference[i], 2); norm += Math.Pow(reference[i], 2); }
        return Math.Sqrt(diff / Math.Max(norm, 1e-30));
    }

    [Theory]
    [InlineData(ModelFamily.Bert)]
    [InlineData(ModelFamily.DistilBert)]
    public void Fused_attention_gives_the_eager_logits_and_gradients_with_padding(ModelFamily family)
    {
        torch.manual_seed(5);
        using var model = new BertQaModel(Config(family));
        model.AttentionImplementation = AttentionImplementation.Eager;
        var eager = Run(model, family);
        model.AttentionImplementation = AttentionImplementation.Sdpa;
        var fused = Run(model, family);

        Assert.True(MaxDifference(fused.Start, eager.Start) < 1e-5, $"start logits differ by {MaxDifference(fused.Start, eager.Start)}");
        Assert.True(MaxDifference(fused.End, eager.End) < 1e-5, $"end logits differ by {MaxDifference(fused.End, eager.End)}");
        foreach (var (name, gradient) in eager.Gradients)
            Assert.True(MaxDifference(fused.Gradients[name], gradient) < 1e-5, $"{name}: gradients differ by {MaxDifference(fused.Gradients[name], gradient)}");
    }

    [Fact]
    public void Requesting_attentions_takes_the_eager_path_and_returns_probabilities_that_ignore_padding()
    {
        torch.manual_seed(5);
        using var model = new BertQaModel(Config(ModelFamily.Bert));
        model.eval();
        model.ReturnAttentions = true;
        var (ids, mask, types, _) = Batch(ModelFamily.Bert);
        using var noGrad = no_grad();
        var output = model.call(ids, mask, types);
        Assert.Equal(2, output.Attentions!.Count);
        var first = output.Attentions[0];
        Assert.Equal(new long[] { 3, 4, 20, 20 }, first.shape);
        Assert.Equal(0f, first[0, .., .., TensorIndex.Slice(13)].abs().max().item<float>());
        Assert.True((first.sum(-1) - 1).abs().max().item<float>() < 1e-5);
    }

    [Theory]
    [InlineData(ModelFamily.Bert)]
    [InlineData(ModelFamily.DistilBert)]
    public void Bfloat16_mixed_precision_tracks_float32_and_trains_float32_weights(ModelFamily family)
    {
        torch.manual_seed(5);
        using var model = new BertQaModel(Config(family));
        var reference = Run(model, family);
        model.Precision = Precision.BFloat16Mixed;
        var mixed = Run(model, family);

        // bfloat16 keeps 8 significant bits: a few parts in a thousand per matmul.
        Assert.True(RelativeError(mixed.Start, reference.Start) < 0.03, $"start logits: relative error {RelativeError(mixed.Start, reference.Start)}");
        Assert.True(RelativeError(mixed.End, reference.End) < 0.03, $"end logits: relative error {RelativeError(mixed.End, reference.End)}");
        // Key biases get no gradient in exact arithmetic (softmax ignores a shift shared by all keys): their float32
        // gradients are rounding noise near 1e-9, so compare only gradients that carry signal.
        foreach (var (name, gradient) in reference.Gradients)
            if (Math.Sqrt(gradient.Sum(g => (double)g * g)) > 1e-4)
                Assert.True(RelativeError(mixed.Gradients[name], gradient) < 0.1, $"{name}: relative gradient error {RelativeError(mixed.Gradients[name], gradient)}");
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.grad!.dtype));
    }

    [Fact]
    public void Bfloat16_mixed_precision_keeps_the_residual_stream_and_logits_in_float32()
    {
        torch.manual_seed(5);
        using var model = new BertQaModel(Config(ModelFamily.Bert)) { Precision = Precision.BFloat16Mixed, ReturnHiddenStates = true };
        var (ids, mask, types, _) = Batch(ModelFamily.Bert);
        using var noGrad = no_grad();
        var output = model.call(ids, mask, types);
        Assert.Equal(ScalarType.Float32, output.StartLogits.dtype);
        Assert.All(output.HiddenStates!, h => Assert.Equal(ScalarType.Float32, h.dtype));
        Assert.False(output.StartLogits.isnan().any().item<bool>());
    }

    [Fact]
    public void UsePrecision_restores_the_previous_precision()
    {
        using var model = new BertQaModel(Config(ModelFamily.Bert));
        using (model.UsePrecision(Precision.BFloat16Mixed))
            Assert.Equal(Precision.BFloat16Mixed, model.Precision);
        Assert.Equal(Precision.Float32, model.Precision);
    }

    [Theory]
    // implementation, precision, probabilities, dropout, gradients -> fused
    [InlineData(AttentionImplementation.Auto, Precision.Float32, false, false, false, true)]
    [InlineData(AttentionImplementation.Auto, Precision.Float32, false, false, true, true)]
    [InlineData(AttentionImplementation.Auto, Precision.BFloat16Mixed, false, false, true, true)]
    [InlineData(AttentionImplementation.Auto, Precision.BFloat16Mixed, false, false, false, false)] // bf16 inference: eager measured faster
    [InlineData(AttentionImplementation.Auto, Precision.Float32, true, false, false, false)]
    [InlineData(AttentionImplementation.Auto, Precision.Float32, false, true, true, false)]
    [InlineData(AttentionImplementation.Sdpa, Precision.BFloat16Mixed, false, false, false, true)]
    [InlineData(AttentionImplementation.Sdpa, Precision.Float32, false, true, true, false)]
    [InlineData(AttentionImplementation.Eager, Precision.Float32, false, false, false, false)]
    public void The_fused_kernel_runs_where_it_gives_the_same_result_and_auto_picks_it_per_precision(
        AttentionImplementation implementation, Precision precision, bool probabilities, bool dropout, bool gradients, bool fused)
    {
        var compute = new ComputeSettings { Attention = implementation, Precision = precision };
        Assert.Equal(fused, AttentionMath.UsesFusedKernel(compute, probabilities, dropout, gradients));
    }

    [Fact]
    public void Auto_is_the_default_kernel_choice()
    {
        Assert.Equal(AttentionImplementation.Auto, new ComputeSettings().Attention);
        using var model = new BertQaModel(Config(ModelFamily.Bert));
        Assert.Equal(AttentionImplementation.Auto, model.AttentionImplementation);
    }
}
