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
/// Axes that are not hidden-sized (vocabulary, positions) keep their leading block. Where the student is larger along
/// an axis, the rest keeps its random initialisation.</item>
/// <item>Feed-forward units: a student with fewer keeps, in each layer, the teacher's units of largest weight
/// importance ‖W₁ⱼ‖·‖W₂ⱼ‖ (the norms of the unit's input row and output column, which bound what it can add to the
/// residual stream), in the teacher's order; see <see cref="FeedForwardUnits"/>.</item>
/// <item>LayerNorm scales under projection become diag(Pᵀ diag(γ) P) = (P∘P)ᵀγ; biases become Pᵀb.</item>
/// <item>BERT teacher → DistilBERT student: DistilBERT has no token types, so the teacher's type-0 embedding (the
/// question's segment) is folded into the position embeddings; a DistilBERT teacher gives a BERT student zero token
/// type embeddings. Either way the student starts out computing what the teacher computes for segment 0.</item>
/// <item>ELECTRA student with factorised embeddings (<c>embedding_size</c> E below the teacher's width): see
/// <see cref="FactorizeEmbeddings"/>; exact when E is one more than the teacher's width, the best rank-(E-1)
/// approximation of what the teacher's embeddings put into the residual stream below that.</item>
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
        if (teacher.Config.HasEmbeddingProjection)
            throw new ArgumentException($"Starting a student from a teacher with factorised embeddings (ELECTRA, embedding_size {teacher.Config.EmbeddingWidth} != hidden_size {teacher.Config.HiddenSize}) is not supported; start it from random weights.", nameof(teacher));
        var map = LayerMap(teacher.Config.NumLayers, student.Config.NumLayers);
        int teacherWidth = teacher.Config.HiddenSize, studentWidth = student.Config.HiddenSize;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var sources = teacher.state_dict().ToDictionary(kv => Key(ParameterRole.Of(kv.Key)), kv => kv.Value.detach().to(ScalarType.Float32, CPU));
        Tensor? projection = project && studentWidth < teacherWidth ? Projection(teacherWidth, studentWidth, seed) : null;
        bool foldTokenTypes = teacher.Config.HasTokenTypes && !student.Config.HasTokenTypes;
        bool factorize = student.Config.HasEmbeddingProjection;
        var studentTensors = student.state_dict();
        if (factorize) FactorizeEmbeddings(sources, studentTensors, teacher.Config, student.Config, projection);
        var keptUnits = student.Config.IntermediateSize < teacher.Config.IntermediateSize
            ? FeedForwardUnits(sources, teacher.Config.NumLayers, student.Config.IntermediateSize)
            : null;

        foreach (var (name, target) in studentTensors)
        {
            var role = ParameterRole.Of(name);
            if (factorize && role.Key.StartsWith("emb.", StringComparison.Ordinal)) continue; // done above
            var key = Key(role with { Layer = role.Layer < 0 ? -1 : map[role.Layer] });
            if (!sources.TryGetValue(key, out var value))
            {
                if (role.Key == "emb.type") target.zero_(); // DistilBERT teacher: a neutral segment embedding
                continue;
            }
            int unitAxis = Array.IndexOf(role.Axes, Axis.Intermediate);
            if (keptUnits is not null && unitAxis >= 0) value = value.index_select(unitAxis, keptUnits[map[role.Layer]]);
            if (foldTokenTypes && role.Key == "emb.pos") value = value + sources[Key(new ParameterRole("emb.type", -1, false, false, []))][0];
            if (projection is not null) value = Project(value, role, projection);
            CopyLeadingBlock(target, value);
        }
    }

    private static string Key(ParameterRole role) => $"{role.Key}/{role.Layer}/{(role.IsBias ? "b" : "w")}";

    private static Tensor Source(Dictionary<string, Tensor> sources, string key, bool bias = false) => sources[Key(new ParameterRole(key, -1, bias, false, []))];

    /// <summary>
    /// Starts an ELECTRA student's factorised embeddings (tables E wide, LayerNorm at E, <c>embeddings_project</c> E → H)
    /// from a teacher whose tables are its hidden width T, so that the projection's output approximates the teacher's
    /// embedding output carried into the student's residual stream (by <paramref name="projection"/> P, T × H, when
    /// given, else by the leading-block identity).
    /// </summary>
    /// <remarks>
    /// LayerNorm centres and scales each token vector x, so what reaches the layers is γ ⊙ n(x) + β with n(x) the unit-variance
    /// centred x. Let Q (T × k, k = min(E - 1, T)) hold the top eigenvectors of the second-moment matrix of the centred
    /// word, position and token type rows (each table weighted equally, as every token draws one row of each), and C
    /// (E × k) orthonormal columns orthogonal to the all-ones vector. Tables become X_c Q Cᵀ: their sum has zero mean over
    /// its E coordinates, so the student's LayerNorm only rescales it, and with γ_E = √(T/E), β_E = 0 it yields n(x) Q Cᵀ
    /// whenever x_c lies in the span of Q. The projection then maps that to Pᵀ(γ ⊙ n(x) Q Qᵀ) + Pᵀβ: weight
    /// Pᵀ diag(γ) Q Cᵀ, bias Pᵀβ. With E = T + 1, Q Qᵀ = I and the student's embedding output is the teacher's exactly.
    /// </remarks>
    private static void FactorizeEmbeddings(Dictionary<string, Tensor> sources, Dictionary<string, Tensor> student, BertConfig teacherConfig,
        BertConfig studentConfig, Tensor? projection)
    {
        int t = teacherConfig.HiddenSize, e = studentConfig.EmbeddingWidth, h = studentConfig.HiddenSize, k = Math.Min(e - 1, t);
        if (k < 1) throw new ArgumentException($"An embedding_size of {e} leaves no room for the teacher's embeddings (at least 2 is needed).", nameof(studentConfig));
        static Tensor Centred(Tensor x) => x - x.mean([1], keepdim: true);
        var word = Centred(Source(sources, "emb.word"));
        var position = Centred(Source(sources, "emb.pos"));
        var types = teacherConfig.HasTokenTypes ? Centred(Source(sources, "emb.type")) : zeros([Math.Max(1, studentConfig.TypeVocabSize), t]);
        var moment = word.t().matmul(word) / word.shape[0] + position.t().matmul(position) / position.shape[0] + types.t().matmul(types) / types.shape[0];
        var (_, eigenvectors) = linalg.eigh(moment); // ascending eigenvalues
        var q = eigenvectors.narrow(1, t - k, k).flip(1); // [t, k], largest first
        var centring = eye(e) - ones(e, e) / e;
        var (c, _) = linalg.qr(centring.narrow(1, 0, k)); // [e, k]: the first k columns of the centring projector are independent
        var basis = q.matmul(c.t()); // [t, e]
        var carry = projection ?? eye(t, h); // teacher residual stream -> student's

        string p = studentConfig.BaseModelPrefix;
        CopyLeadingBlock(student[$"{p}.embeddings.word_embeddings.weight"], word.matmul(basis));
        CopyLeadingBlock(student[$"{p}.embeddings.position_embeddings.weight"], position.matmul(basis));
        if (studentConfig.HasTokenTypes)
        {
            var target = student[$"{p}.embeddings.token_type_embeddings.weight"];
            if (teacherConfig.HasTokenTypes) CopyLeadingBlock(target, types.matmul(basis));
            else target.zero_();
        }
        student[$"{p}.embeddings.LayerNorm.weight"].fill_(Math.Sqrt((double)t / e));
        student[$"{p}.embeddings.LayerNorm.bias"].zero_();
        var gamma = Source(sources, "emb.ln");
        var beta = Source(sources, "emb.ln", bias: true);
        CopyLeadingBlock(student[$"{p}.embeddings_project.weight"], carry.t().matmul(gamma.unsqueeze(1) * basis)); // [h, e]
        CopyLeadingBlock(student[$"{p}.embeddings_project.bias"], carry.t().matmul(beta));
    }

    /// <summary>
    /// For each teacher layer, the indices (ascending) of its <paramref name="count"/> feed-forward units with the
    /// largest ‖W₁ⱼ‖·‖W₂ⱼ‖: unit j adds W₂ⱼ·gelu(W₁ⱼ·x + b₁ⱼ) to the residual stream, so a unit whose input row or output
    /// column is small can change little. A weight-only criterion (no data is at hand here); a unit whose output column
    /// is zero is never kept over one whose is not.
    /// </summary>
    private static Tensor[] FeedForwardUnits(Dictionary<string, Tensor> sources, int teacherLayers, int count)
    {
        var kept = new Tensor[teacherLayers];
        for (int layer = 0; layer < teacherLayers; layer++)
        {
            var input = sources[Key(new ParameterRole("ff1", layer, false, false, []))]; // [units, hidden]
            var output = sources[Key(new ParameterRole("ff2", layer, false, false, []))]; // [hidden, units]
            var importance = input.norm(1) * output.norm(0);
            kept[layer] = importance.topk(count).indexes.sort().Values;
        }
        return kept;
    }

    // Q of the QR decomposition of a seeded Gaussian matrix: orthonormal columns.
    private static Tensor Projection(int teacherWidth, int studentWidth, int seed)
    {
        using var generator = new Generator((ulong)seed); // held until randn returns: a finalized generator would be freed under it
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
