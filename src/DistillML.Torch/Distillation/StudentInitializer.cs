using DistillML.Torch.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace DistillML.Torch.Distillation;

/// <summary>
/// Builds a student and starts its weights from a teacher, across families (a BERT teacher can seed a DistilBERT
/// student and the other way round: tensors are matched by role, not by name).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Layers: student layer i takes teacher layer ⌊i·Lₜ/Lₛ⌋ — every k-th layer (0, 2, 4, ... for 12 → 6) as DistilBERT
/// was made; a deeper student repeats layers.</item>
/// <item>Widths: see <see cref="StudentInitialization.TeacherTruncated"/> and <see cref="StudentInitialization.TeacherProjected"/>.
/// Axes that are not hidden-sized (vocabulary, positions, feed-forward units) keep their leading block. Where the
/// student is larger along an axis, the rest keeps its random initialisation.</item>
/// <item>LayerNorm scales under projection become diag(Pᵀ diag(γ) P) = (P∘P)ᵀγ; biases become Pᵀb.</item>
/// <item>BERT teacher → DistilBERT student: DistilBERT has no token types, so the teacher's type-0 embedding (the
/// question's segment) is folded into the position embeddings; a DistilBERT teacher gives a BERT student zero token
/// type embeddings. Either way the student starts out computing what the teacher computes for segment 0.</item>
/// </list>
/// </remarks>
public static class StudentInitializer
{
    /// <summary>
    /// Creates a student with <paramref name="studentConfig"/> on the teacher's device (or <paramref name="device"/>),
    /// drawn from a private generator seeded with <paramref name="seed"/> (torch's global one is left alone), then
    /// initialised as <paramref name="mode"/> says.
    /// The vocabulary is the teacher's.
    /// </summary>
    /// <exception cref="ArgumentException">The vocabularies differ in size.</exception>
    public static BertQaModel Create(BertQaModel teacher, BertConfig studentConfig, StudentInitialization mode, int seed = 42, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(teacher);
        ArgumentNullException.ThrowIfNull(studentConfig);
        if (studentConfig.VocabSize != teacher.Config.VocabSize)
            throw new ArgumentException($"The student's vocab_size ({studentConfig.VocabSize}) must be the teacher's ({teacher.Config.VocabSize}).", nameof(studentConfig));
        using var generator = new Generator((ulong)seed);
        var student = new BertQaModel(studentConfig, device ?? teacher.Device, generator) { VocabularyPath = teacher.VocabularyPath, LowerCase = teacher.LowerCase };
        if (mode != StudentInitialization.Random) CopyFromTeacher(teacher, student, mode == StudentInitialization.TeacherProjected, seed);
        return student;
    }

    /// <summary>Which teacher layer each student layer starts from: ⌊i·<paramref name="teacherLayers"/>/<paramref name="studentLayers"/>⌋.</summary>
    public static int[] LayerMap(int teacherLayers, int studentLayers)
    {
        if (teacherLayers < 1) throw new ArgumentOutOfRangeException(nameof(teacherLayers), teacherLayers, "must be >= 1");
        if (studentLayers < 1) throw new ArgumentOutOfRangeException(nameof(studentLayers), studentLayers, "must be >= 1");
        return Enumerable.Range(0, studentLayers).Select(i => (int)((long)i * teacherLayers / studentLayers)).ToArray();
    }

    /// <summary>Overwrites <paramref name="student"/>'s weights with the teacher's, layer-mapped and truncated or projected.</summary>
    /// <param name="teacher">The source.</param>
    /// <param name="student">The target; its vocabulary must match the teacher's.</param>
    /// <param name="project">Project hidden axes through a random orthonormal matrix (when the student is narrower) instead of truncating them.</param>
    /// <param name="seed">Seed of the projection.</param>
    public static void CopyFromTeacher(BertQaModel teacher, BertQaModel student, bool project, int seed = 42)
    {
        var map = LayerMap(teacher.Config.NumLayers, student.Config.NumLayers);
        int teacherWidth = teacher.Config.HiddenSize, studentWidth = student.Config.HiddenSize;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var sources = teacher.state_dict().ToDictionary(kv => Key(ParameterRole.Of(kv.Key)), kv => kv.Value.detach().to(ScalarType.Float32, CPU));
        Tensor? projection = project && studentWidth < teacherWidth ? Projection(teacherWidth, studentWidth, seed) : null;
        bool foldTokenTypes = teacher.Config.Family == ModelFamily.Bert && student.Config.Family == ModelFamily.DistilBert;

        foreach (var (name, target) in student.state_dict())
        {
            var role = ParameterRole.Of(name);
            var key = Key(role with { Layer = role.Layer < 0 ? -1 : map[role.Layer] });
            if (!sources.TryGetValue(key, out var value))
            {
                if (role.Key == "emb.type") target.zero_(); // DistilBERT teacher: a neutral segment embedding
                continue;
            }
            if (foldTokenTypes && role.Key == "emb.pos") value = value + sources[Key(new ParameterRole("emb.type", -1, false, false, []))][0];
            if (projection is not null) value = Project(value, role, projection);
            CopyLeadingBlock(target, value);
        }
    }

    private static string Key(ParameterRole role) => $"{role.Key}/{role.Layer}/{(role.IsBias ? "b" : "w")}";

    // Q of the QR decomposition of a seeded Gaussian matrix: orthonormal columns.
    private static Tensor Projection(int teacherWidth, int studentWidth, int seed)
    {
        var generator = new Generator((ulong)seed);
        var gaussian = randn([teacherWidth, studentWidth], ScalarType.Float32, CPU, generator: generator);
        var (q, _) = linalg.qr(gaussian);
        return q;
    }

    private static Tensor Project(Tensor value, ParameterRole role, Tensor p)
    {
        if (role.IsLayerNormScale) return (p * p).t().matmul(value);
        for (int axis = 0; axis < role.Axes.Length; axis++)
        {
            if (role.Axes[axis] != Axis.Hidden) continue;
            value = role.Axes.Length == 1 ? p.t().matmul(value)
                : axis == 0 ? p.t().matmul(value)
                : value.matmul(p);
        }
        return value;
    }

    private static void CopyLeadingBlock(Tensor target, Tensor value)
    {
        Tensor to = target, from = value;
        for (int d = 0; d < target.dim(); d++)
        {
            long n = Math.Min(target.shape[d], value.shape[d]);
            to = to.narrow(d, 0, n);
            from = from.narrow(d, 0, n);
        }
        to.copy_(from.to(target.dtype, target.device));
    }
}
