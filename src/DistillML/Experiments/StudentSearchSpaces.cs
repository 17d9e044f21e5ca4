using DistillML.Torch.Modeling;
using DistillML.Torch.Training;
using DistillML.Tuning.SearchSpace;

namespace DistillML.Experiments;

/// <summary>Student search spaces sized to a teacher.</summary>
public static class StudentSearchSpaces
{
    /// <summary>
    /// The "init" choice that starts a student from the teacher's layers: every k-th layer, and when narrower the
    /// teacher's first whole heads and residual dimensions and each layer's strongest feed-forward units
    /// (<see cref="Torch.Distillation.StudentInitialization.TeacherTruncated"/>).
    /// Truncation rather than projection because it trained at least as well in a pilot on the MiniLM teacher (dev F1
    /// on 300 questions after 150 steps, labels only, lr 3e-4: L3 H288 8.75 truncated vs 6.06 projected, L6 H192 6.04 vs 4.67).
    /// </summary>
    public const string TeacherInit = "teacher";

    /// <summary>The "init" choice that starts a student from Hugging Face's random initialisation.</summary>
    public const string RandomInit = "random";

    /// <summary>
    /// The searched widths of the embedding tables: the teacher's width, two thirds, a third and a sixth of it
    /// (multiples of 16; for all-MiniLM-L6-v2 384, 256, 128, 64). A value at or above a student's width gives it
    /// ordinary embeddings; below it, an ELECTRA student with factorised embeddings, whose 30,522-row word table then
    /// costs 3.9M instead of 11.7M parameters at 128 wide.
    /// </summary>
    public static IReadOnlyList<int> EmbeddingSizes(int teacherHidden) =>
        new[] { teacherHidden, 2 * teacherHidden / 3, teacherHidden / 3, teacherHidden / 6 }
            .Select(w => Math.Max(16, w / 16 * 16)).Distinct().ToList();

    /// <summary>
    /// A DistilBERT-like space sized to <paramref name="teacher"/>: layers 1 to min(6, the teacher's); heads from a
    /// third of the teacher's to all of them at the teacher's head size, so students from a third to all of the
    /// teacher's width are reachable (for all-MiniLM-L6-v2, 6 layers x 12 heads of 32: hidden 128 to 384 in steps of 32);
    /// feed-forward width 2-4 times hidden; initialisation from the teacher's layers or random (a searched choice);
    /// the width of the embedding tables (<see cref="EmbeddingSizes"/>: factorised ELECTRA embeddings below the
    /// student's width, started from the teacher's by <see cref="Torch.Distillation.StudentInitializer"/>); and
    /// the seed's distillation hyperparameters (dropouts, learning rate, temperature, alpha_ce, warmup, weight decay).
    /// The default point (the sweep's baseline trial) is DistilBERT's recipe: half the teacher's layers at its full
    /// width, started from every other teacher layer.
    /// </summary>
    /// <remarks>
    /// The head size stays the teacher's because a teacher-started student copies whole heads: with a smaller head
    /// size, the leading block of the teacher's query and key columns would be cut through the middle of each head and
    /// the copied attention would mean nothing. Learning rates span 1e-5 to 1e-3 (default 1e-4, the rate the MiniLM
    /// teacher was fine-tuned at); for small teachers (hidden &lt;= 256, trained briefly from nothing) 1e-4 to 5e-3.
    /// Attention dropout defaults to 0, as the pretrained teacher was fine-tuned: with it, training cannot use the fused
    /// attention kernel (see <see cref="Torch.Modeling.AttentionImplementation"/>).
    /// </remarks>
    public static SearchSpace ScaledTo(BertConfig teacher)
    {
        ArgumentNullException.ThrowIfNull(teacher);
        int maxLayers = Math.Clamp(teacher.NumLayers, 1, 6);
        int minHeads = Math.Max(1, (teacher.NumHeads + 2) / 3);
        bool small = teacher.HiddenSize <= 256;
        return SearchSpace.Create()
            .AddInteger("layers", 1, maxLayers, init: Math.Max(1, maxLayers / 2))
            .AddInteger("heads", minHeads, Math.Max(minHeads, teacher.NumHeads), init: Math.Max(minHeads, teacher.NumHeads))
            .AddFixed("head_size", teacher.HeadSize)
            .AddInteger("intermediate_multiple", 2, 4, init: 4)
            .Add(new ChoiceDimension("init", [TeacherInit, RandomInit], ordered: false, init: TeacherInit))
            .Add(new ChoiceDimension("embedding_size", EmbeddingSizes(teacher.HiddenSize).Cast<object>(), ordered: true, init: teacher.HiddenSize))
            .AddFloat("dropout", 0, 0.3, init: 0.1)
            .AddFloat("attention_dropout", 0, 0.3, init: 0)
            .AddFloat("learning_rate", small ? 1e-4 : 1e-5, small ? 5e-3 : 1e-3, init: TrainingDefaults.DistillationLearningRateFor(teacher.HiddenSize), logScale: true)
            .AddFloat("temperature", 1, 10, init: TrainingDefaults.Temperature)
            .AddFloat("alpha_ce", 0, 1, init: TrainingDefaults.AlphaCe)
            .AddFloat("warmup_fraction", 0, 0.2, init: TrainingDefaults.WarmupFraction)
            .AddFloat("weight_decay", 0, 0.1, init: TrainingDefaults.WeightDecay)
            .Build();
    }
}
