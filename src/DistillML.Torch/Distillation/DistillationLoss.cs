using TorchSharp;
using DistillML.Torch.Modeling;
using static TorchSharp.torch;

namespace DistillML.Torch.Distillation;

/// <summary>
/// The distillation objective of DistilBERT's SQuAD script (<c>run_squad_w_distillation.py</c>), with padding masked:
/// <c>AlphaCe * T² * KL(softmax(teacher/T) ‖ softmax(student/T))</c> averaged over start and end logits,
/// <c>+ AlphaSquad * CE(student, labels)</c> averaged over start and end, <c>+ AlphaCos * (1 - cos)</c> between the
/// last hidden states (DistilBERT's cosine embedding loss, used when the widths match).
/// </summary>
/// <remarks>
/// Positions whose attention mask is 0 (padding) take no part in any term: their logits are excluded from both
/// softmaxes and their hidden states from the cosine mean. KL is summed over positions and averaged over the rows of
/// the batch (PyTorch's <c>reduction="batchmean"</c>); the cosine term is averaged over the real tokens.
/// </remarks>
/// <param name="temperature">Softmax temperature T (&gt; 0).</param>
/// <param name="alphaCe">Weight of the soft-target KL term.</param>
/// <param name="alphaSquad">Weight of the label cross-entropy.</param>
/// <param name="alphaCos">Weight of the hidden-state cosine term.</param>
public sealed class DistillationLoss(double temperature, double alphaCe, double alphaSquad, double alphaCos = 0)
{
    // Large enough to zero a softmax entry, small enough to keep float32 sums finite.
    private const double Excluded = -1e9;

    /// <summary>The temperature.</summary>
    public double Temperature => temperature;

    /// <summary>
    /// <c>T² * KL(softmax(teacher/T) ‖ softmax(student/T))</c> over the positions where <paramref name="mask"/> is 1,
    /// summed over positions and averaged over rows. Inputs are [batch, seq]; the result is a scalar.
    /// </summary>
    public static Tensor SoftTargetKl(Tensor studentLogits, Tensor teacherLogits, Tensor mask, double temperature)
    {
        var valid = mask.to_type(ScalarType.Bool);
        var invalid = valid.logical_not();
        var studentLog = nn.functional.log_softmax(studentLogits.Over(temperature).Filled(invalid, Excluded), -1);
        var teacherLog = nn.functional.log_softmax(teacherLogits.Over(temperature).Filled(invalid, Excluded), -1);
        var pointwise = teacherLog.exp().mul(teacherLog.Minus(studentLog)).Filled(invalid, 0);
        return pointwise.sum().Over(studentLogits.shape[0]).Times(temperature * temperature);
    }

    /// <summary>Cross-entropy of [batch, seq] logits against [batch] positions, over the positions where <paramref name="mask"/> is 1.</summary>
    public static Tensor MaskedCrossEntropy(Tensor logits, Tensor positions, Tensor mask) =>
        nn.functional.cross_entropy(logits.Filled(mask.to_type(ScalarType.Bool).logical_not(), Excluded), positions);

    /// <summary>Mean of <c>1 - cos(student_t, teacher_t)</c> over the tokens t where <paramref name="mask"/> is 1; states are [batch, seq, hidden].</summary>
    public static Tensor HiddenCosine(Tensor studentHidden, Tensor teacherHidden, Tensor mask)
    {
        var weights = mask.to_type(studentHidden.dtype);
        var cosine = nn.functional.cosine_similarity(studentHidden, teacherHidden, dim: -1);
        return ((1 - cosine) * weights).sum() / weights.sum().clamp_min(1);
    }

    /// <summary>
    /// All terms for one batch. <paramref name="studentHidden"/> and <paramref name="teacherHidden"/> are needed only
    /// when the cosine weight is not 0.
    /// </summary>
    public DistillationLossTerms Compute(
        Tensor studentStart, Tensor studentEnd, Tensor teacherStart, Tensor teacherEnd, Tensor mask,
        Tensor startPositions, Tensor endPositions, Tensor? studentHidden = null, Tensor? teacherHidden = null)
    {
        var soft = SoftTargetKl(studentStart, teacherStart, mask, temperature).Plus(SoftTargetKl(studentEnd, teacherEnd, mask, temperature)).Over(2);
        var span = MaskedCrossEntropy(studentStart, startPositions, mask).Plus(MaskedCrossEntropy(studentEnd, endPositions, mask)).Over(2);
        var total = soft.Times(alphaCe).Plus(span.Times(alphaSquad));
        Tensor? cosine = null;
        if (alphaCos != 0)
        {
            if (studentHidden is null || teacherHidden is null)
                throw new ArgumentException("The cosine term (alpha_cos != 0) needs the student's and the teacher's hidden states.");
            if (studentHidden.shape[^1] != teacherHidden.shape[^1])
                throw new ArgumentException($"The cosine term needs equal widths; the student's hidden size is {studentHidden.shape[^1]}, the teacher's {teacherHidden.shape[^1]}. Set alpha_cos to 0.");
            cosine = HiddenCosine(studentHidden, teacherHidden, mask);
            total = total.Plus(cosine.Times(alphaCos));
        }
        return new DistillationLossTerms(total, soft, span, cosine);
    }
}
