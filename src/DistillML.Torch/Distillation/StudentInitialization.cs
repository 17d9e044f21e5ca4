namespace DistillML.Torch.Distillation;

/// <summary>How a student's weights start (see <see cref="StudentInitializer"/>).</summary>
public enum StudentInitialization
{
    /// <summary>Hugging Face's random initialisation, nothing taken from the teacher.</summary>
    Random,

    /// <summary>
    /// Every k-th teacher layer, as DistilBERT was made; where widths differ, each tensor keeps the leading block of
    /// the teacher's (the first hidden dimensions), and a student with fewer feed-forward units keeps each layer's
    /// strongest units (largest ‖W₁ⱼ‖·‖W₂ⱼ‖).
    /// </summary>
    TeacherTruncated,

    /// <summary>
    /// Every k-th teacher layer; where the student is narrower, the residual stream is mapped through one seeded
    /// random orthonormal projection P (teacher width × student width): embeddings become EP, a weight reading the
    /// residual stream WP, one writing it PᵀW. The attention keeps the teacher's first whole heads (query, key and
    /// value outputs and the attention output's input are cut to them, never projected, which would mix the heads)
    /// and the feed-forward its strongest units, as in <see cref="TeacherTruncated"/>. Identical to
    /// <see cref="TeacherTruncated"/> when the widths match.
    /// </summary>
    TeacherProjected,
}
