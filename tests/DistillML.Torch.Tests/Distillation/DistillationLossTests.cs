using DistillML.Torch.Distillation;
using TorchSharp;
using static TorchSharp.torch;

namespace DistillML.Torch.Tests.Distillation;

public sealed class DistillationLossTests
{
    // Two rows; the second has one padding position whose (huge) logits must not matter.
    static readonly float[][] Student = [[1f, 2f, 3f, 0.5f], [0.2f, -1f, 4f, 100f]];
    static readonly float[][] Teacher = [[3f, 1f, 0f, -2f], [1f, 1f, 2f, -100f]];
    static readonly long[][] Mask = [[1, 1, 1, 1], [1, 1, 1, 0]];

    static Tensor T(float[][] rows) => tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, rows[0].Length]);
    static Tensor T(long[][] rows) => tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, rows[0].Length]);

    static double[] LogSoftmax(float[] logits, long[] mask, double temperature)
    {
        var valid = Enumerable.Range(0, logits.Length).Where(i => mask[i] == 1).ToArray();
        double max = valid.Max(i => logits[i] / temperature);
        double lse = max + Math.Log(valid.Sum(i => Math.Exp(logits[i] / temperature - max)));
        return logits.Select((v, i) => mask[i] == 1 ? v / temperature - lse : double.NegativeInfinity).ToArray();
    }

    static double HandKl(double temperature)
    {
        double sum = 0;
        for (int r = 0; r < Student.Length; r++)
        {
            var ls = LogSoftmax(Student[r], Mask[r], temperature);
            var lt = LogSoftmax(Teacher[r], Mask[r], temperature);
            for (int i = 0; i < ls.Length; i++)
                if (Mask[r][i] == 1) sum += Math.Exp(lt[i]) * (lt[i] - ls[i]);
        }
        return sum / Student.Length * temperature * temperature;
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.0)]
    [InlineData(4.0)]
    public void Soft_target_term_is_t_squared_batchmean_kl_over_unpadded_positions(double temperature)
    {
        var kl = DistillationLoss.SoftTargetKl(T(Student), T(Teacher), T(Mask), temperature).item<float>();
        Assert.Equal(HandKl(temperature), kl, 4);
    }

    [Fact]
    public void Soft_target_term_is_zero_when_student_equals_teacher_and_ignores_padding()
    {
        var padded = Teacher.Select(r => r.ToArray()).ToArray();
        padded[1][3] = 55f; // differs only at the padding position
        Assert.Equal(0, DistillationLoss.SoftTargetKl(T(padded), T(Teacher), T(Mask), 2).item<float>(), 6);
    }

    [Fact]
    public void Span_term_is_cross_entropy_over_unpadded_positions()
    {
        long[] labels = [2, 0];
        double hand = 0;
        for (int r = 0; r < 2; r++) hand -= LogSoftmax(Student[r], Mask[r], 1)[labels[r]];
        hand /= 2;
        var ce = DistillationLoss.MaskedCrossEntropy(T(Student), tensor(labels), T(Mask)).item<float>();
        Assert.Equal(hand, ce, 4);
    }

    [Fact]
    public void Cosine_term_is_mean_one_minus_cosine_over_real_tokens()
    {
        // [batch 1, seq 3, hidden 2]; the last token is padding.
        float[] s = [1, 0, 1, 1, 5, 5];
        float[] t = [0, 1, 2, 2, -5, 5];
        long[] mask = [1, 1, 0];
        double cos0 = 0, cos1 = 1; // (1,0)·(0,1) = 0; (1,1) ∥ (2,2)
        double hand = ((1 - cos0) + (1 - cos1)) / 2;
        var value = DistillationLoss.HiddenCosine(tensor(s, [1, 3, 2]), tensor(t, [1, 3, 2]), tensor(mask, [1, 3])).item<float>();
        Assert.Equal(hand, value, 5);
    }

    [Fact]
    public void Total_weights_the_terms_and_averages_start_and_end()
    {
        var loss = new DistillationLoss(2, alphaCe: 0.3, alphaSquad: 0.7);
        var start = T(Student);
        var end = T(Teacher); // any second pair of logits
        var terms = loss.Compute(start, end, T(Teacher), T(Student), T(Mask), tensor(new long[] { 1, 2 }), tensor(new long[] { 0, 1 }));
        double kl = (DistillationLoss.SoftTargetKl(start, T(Teacher), T(Mask), 2).item<float>() + DistillationLoss.SoftTargetKl(end, T(Student), T(Mask), 2).item<float>()) / 2;
        double ce = (DistillationLoss.MaskedCrossEntropy(start, tensor(new long[] { 1, 2 }), T(Mask)).item<float>()
            + DistillationLoss.MaskedCrossEntropy(end, tensor(new long[] { 0, 1 }), T(Mask)).item<float>()) / 2;
        Assert.Equal(kl, terms.SoftTarget.item<float>(), 5);
        Assert.Equal(ce, terms.Span.item<float>(), 5);
        Assert.Equal(0.3 * kl + 0.7 * ce, terms.Total.item<float>(), 4);
        Assert.Null(terms.Cosine);
    }

    [Fact]
    public void Cosine_term_with_different_widths_is_refused_with_a_clear_message()
    {
        var loss = new DistillationLoss(2, 0.5, 0.5, alphaCos: 1);
        var e = Assert.Throws<ArgumentException>(() => loss.Compute(T(Student), T(Student), T(Teacher), T(Teacher), T(Mask),
            tensor(new long[] { 0, 0 }), tensor(new long[] { 0, 0 }), zeros(2, 4, 8), zeros(2, 4, 16)));
        Assert.Contains("alpha_cos", e.Message);
    }

    [Fact]
    public void Gradients_flow_to_the_student_only()
    {
        var s = T(Student).requires_grad_(true);
        var loss = DistillationLoss.SoftTargetKl(s, T(Teacher), T(Mask), 2);
        loss.backward();
        var grad = s.grad!.data<float>().ToArray();
        Assert.Equal(0f, grad[7]); // padding position
        Assert.Contains(grad, g => g != 0);
    }
}
