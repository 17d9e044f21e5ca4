namespace DistillML.Torch.Distillation;

/// <summary>How a student's weights start (see <see cref="StudentInitializer"/>).</summary>
public enum StudentInitialization
{
    /// <summary>Hugging Face's random initialisation, nothing taken from the teacher.</summary>
    Random,

    /// <summary>
    /// Every k-th teacher layer, as DistilBERT was made; where widths differ, each tensor keeps the leading block of
    /// the teacher's (the first hidden dimensions, the first feed-forward units).
    /// </summary>
    TeacherTruncated,

    /// <summary>
    /// Every k-th teacher layer; where the student is narrower, every hidden-sized axis is mapped through one seeded
    /// random orthonormal projection P (teacher width × student width): weights W become PᵀWP, embeddings EP.
    /// Feed-forward widths are truncated. Identical to <see cref="TeacherTruncated"/> when the widths match.
    /// </summary>
    TeacherProjected,
}
