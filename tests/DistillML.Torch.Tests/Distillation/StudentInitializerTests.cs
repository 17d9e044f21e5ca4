using DistillML.Torch.Distillation;
using DistillML.Torch.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace DistillML.Torch.Tests.Distillation;

public sealed class StudentInitializerTests
{
    static BertConfig Tiny(ModelFamily family, int layers, int hidden, int intermediate = 64) => new()
    {
        Family = family, VocabSize = 50, NumLayers = layers, HiddenSize = hidden, NumHeads = 2, IntermediateSize = intermediate,
        MaxPositionEmbeddings = 16, TypeVocabSize = family == ModelFamily.DistilBert ? 0 : 2, HiddenDropout = 0, AttentionDropout = 0, QaDropout = 0,
        EmbeddingSize = family == ModelFamily.Electra ? hidden : null,
    };

    static BertQaModel Teacher(int layers = 4, int hidden = 16)
    {
        torch.manual_seed(11);
        var teacher = new BertQaModel(Tiny(ModelFamily.Bert, layers, hidden));
        // Untrained LayerNorms are all ones; perturb every tensor so that copies are distinguishable.
        using var noGrad = no_grad();
        foreach (var p in teacher.parameters()) p.add_(randn_like(p) * 0.1);
        teacher.eval();
        return teacher;
    }

    static (Tensor Ids, Tensor Mask) Inputs()
    {
        torch.manual_seed(3);
        return (randint(1, 50, [3, 10]), ones([3, 10], ScalarType.Int64));
    }

    [Fact]
    public void Layer_map_takes_every_kth_layer_as_distilbert_did()
    {
        Assert.Equal([0, 2, 4, 6, 8, 10], StudentInitializer.LayerMap(12, 6));
        Assert.Equal([0, 3, 6, 9], StudentInitializer.LayerMap(12, 4));
        Assert.Equal([0, 0, 1, 1], StudentInitializer.LayerMap(2, 4));
    }

    [Fact]
    public void Same_width_student_copies_every_kth_teacher_layer_exactly()
    {
        using var teacher = Teacher();
        using var student = StudentInitializer.Create(teacher, Tiny(ModelFamily.Bert, 2, 16), StudentInitialization.TeacherTruncated);
        var t = teacher.state_dict();
        foreach (var (name, value) in student.state_dict())
        {
            string source = name.Replace("layer.1.", "layer.2.");
            Assert.True(value.allclose(t[source], rtol: 0, atol: 0), $"{name} should equal {source}");
        }
    }

    [Fact]
    public void Bert_teacher_to_distilbert_student_of_the_same_shape_computes_the_same_logits()
    {
        using var teacher = Teacher();
        using var student = StudentInitializer.Create(teacher, Tiny(ModelFamily.DistilBert, 4, 16), StudentInitialization.TeacherTruncated);
        student.eval();
        var (ids, mask) = Inputs();
        using var noGrad = no_grad();
        var expected = teacher.forward(ids, mask, zeros_like(ids));
        var actual = student.forward(ids, mask, null);
        Assert.True(actual.StartLogits.allclose(expected.StartLogits, rtol: 1e-4, atol: 1e-4));
        Assert.True(actual.EndLogits.allclose(expected.EndLogits, rtol: 1e-4, atol: 1e-4));
    }

    [Fact]
    public void Narrower_truncated_student_keeps_the_leading_block_of_each_tensor_and_the_strongest_feed_forward_units()
    {
        using var teacher = Teacher();
        BoostUnits(teacher, layer: 2, from: 32); // units 32..63 of layer 2 now outweigh 0..31
        using var student = StudentInitializer.Create(teacher, Tiny(ModelFamily.DistilBert, 2, 8, 32), StudentInitialization.TeacherTruncated);
        var t = teacher.state_dict();
        var s = student.state_dict();
        Assert.True(s["distilbert.transformer.layer.1.ffn.lin1.weight"].allclose(t["bert.encoder.layer.2.intermediate.dense.weight"][32.., ..8], rtol: 0, atol: 0));
        Assert.True(s["distilbert.transformer.layer.1.ffn.lin1.bias"].allclose(t["bert.encoder.layer.2.intermediate.dense.bias"][32..], rtol: 0, atol: 0));
        Assert.True(s["distilbert.transformer.layer.1.ffn.lin2.weight"].allclose(t["bert.encoder.layer.2.output.dense.weight"][..8, 32..], rtol: 0, atol: 0));
        Assert.True(s["distilbert.transformer.layer.0.attention.q_lin.bias"].allclose(t["bert.encoder.layer.0.attention.self.query.bias"][..8], rtol: 0, atol: 0));
        Assert.True(s["qa_outputs.weight"].allclose(t["qa_outputs.weight"][.., ..8], rtol: 0, atol: 0));
        Assert.True(s["distilbert.embeddings.word_embeddings.weight"].allclose(t["bert.embeddings.word_embeddings.weight"][.., ..8], rtol: 0, atol: 0));
    }

    [Fact]
    public void Narrower_projected_student_maps_the_residual_stream_through_one_orthonormal_projection_and_keeps_whole_heads()
    {
        using var teacher = Teacher();
        BoostUnits(teacher, layer: 2, from: 32);
        using var student = StudentInitializer.Create(teacher, Tiny(ModelFamily.Bert, 2, 8, 32), StudentInitialization.TeacherProjected, seed: 5);
        var t = teacher.state_dict();
        var s = student.state_dict();
        // Recover P from the embeddings (E_s = E_t P, E_t has full column rank) and check the attention weights: the heads'
        // axis is cut to the leading heads (never projected), the residual axis projected: W_s = W_t[heads] P, O_s = Pᵀ O_t[:, heads].
        var p = linalg.lstsq(t["bert.embeddings.word_embeddings.weight"], s["bert.embeddings.word_embeddings.weight"]).Solution;
        Assert.True(p.t().matmul(p).allclose(eye(8), atol: 1e-4), "P has orthonormal columns");
        var expected = t["bert.encoder.layer.2.attention.self.key.weight"][..8].matmul(p);
        Assert.True(s["bert.encoder.layer.1.attention.self.key.weight"].allclose(expected, atol: 1e-4));
        Assert.True(s["bert.encoder.layer.1.attention.self.key.bias"].allclose(t["bert.encoder.layer.2.attention.self.key.bias"][..8], rtol: 0, atol: 0));
        var output = p.t().matmul(t["bert.encoder.layer.2.attention.output.dense.weight"][.., ..8]);
        Assert.True(s["bert.encoder.layer.1.attention.output.dense.weight"].allclose(output, atol: 1e-4));
        Assert.True(s["bert.encoder.layer.1.attention.output.dense.bias"].allclose(p.t().matmul(t["bert.encoder.layer.2.attention.output.dense.bias"]), atol: 1e-4));
        Assert.True(s["bert.encoder.layer.1.intermediate.dense.weight"].allclose(t["bert.encoder.layer.2.intermediate.dense.weight"][32..].matmul(p), atol: 1e-4));
    }

    [Fact]
    public void Student_with_fewer_feed_forward_units_drops_dead_ones_first_and_computes_the_teachers_logits()
    {
        using var teacher = Teacher();
        using (no_grad())
        {
            // Every even unit of every layer writes nothing to the residual stream: half the feed-forward is dead.
            // Keeping the leading 32 units would drop 16 live ones and change the logits.
            foreach (var (name, value) in teacher.state_dict().Where(kv => kv.Key.EndsWith("output.dense.weight", StringComparison.Ordinal) && !kv.Key.Contains("attention")))
                value[.., TensorIndex.Slice(0, null, 2)].zero_();
        }
        using var student = StudentInitializer.Create(teacher, Tiny(ModelFamily.Bert, 4, 16, 32), StudentInitialization.TeacherTruncated);
        student.eval();
        var (ids, mask) = Inputs();
        using var noGrad = no_grad();
        var expected = teacher.forward(ids, mask, zeros_like(ids));
        var actual = student.forward(ids, mask, zeros_like(ids));
        Assert.True(actual.StartLogits.allclose(expected.StartLogits, rtol: 1e-5, atol: 1e-5));
        Assert.True(actual.EndLogits.allclose(expected.EndLogits, rtol: 1e-5, atol: 1e-5));
        Assert.True(student.state_dict()["bert.encoder.layer.3.intermediate.dense.weight"].allclose(
            teacher.state_dict()["bert.encoder.layer.3.intermediate.dense.weight"][TensorIndex.Slice(1, null, 2)], rtol: 0, atol: 0));
    }

    // Multiplies the output columns of feed-forward units from..end of one teacher layer by 10, so they are the most important.
    static void BoostUnits(BertQaModel teacher, int layer, int from)
    {
        using var noGrad = no_grad();
        teacher.state_dict()[$"bert.encoder.layer.{layer}.output.dense.weight"][.., from..].mul_(10);
    }

    [Fact]
    public void Random_initialisation_takes_nothing_from_the_teacher()
    {
        using var teacher = Teacher();
        using var student = StudentInitializer.Create(teacher, Tiny(ModelFamily.Bert, 2, 16), StudentInitialization.Random);
        Assert.False(student.state_dict()["qa_outputs.weight"].allclose(teacher.state_dict()["qa_outputs.weight"], rtol: 0, atol: 0));
    }

    [Fact]
    public void A_student_with_another_vocabulary_is_refused()
    {
        using var teacher = Teacher();
        var e = Assert.Throws<ArgumentException>(() => StudentInitializer.Create(teacher, Tiny(ModelFamily.Bert, 2, 16) with { VocabSize = 60 }, StudentInitialization.Random));
        Assert.Contains("vocab_size", e.Message);
    }

    [Fact]
    public void Electra_student_with_one_embedding_dimension_more_than_the_teacher_is_wide_computes_the_teachers_logits()
    {
        using var teacher = Teacher();
        using var student = StudentInitializer.Create(teacher, Tiny(ModelFamily.Electra, 4, 16) with { EmbeddingSize = 17 }, StudentInitialization.TeacherTruncated);
        student.eval();
        var (ids, mask) = Inputs();
        using var generator = new Generator(7); // private: other classes' seeded tests run in parallel
        var types = randint(0, 2, ids.shape, generator: generator);
        using var noGrad = no_grad();
        var expected = teacher.forward(ids, mask, types);
        var actual = student.forward(ids, mask, types);
        Assert.True(actual.StartLogits.allclose(expected.StartLogits, rtol: 1e-4, atol: 1e-4), "start logits");
        Assert.True(actual.EndLogits.allclose(expected.EndLogits, rtol: 1e-4, atol: 1e-4), "end logits");
    }

    [Fact]
    public void Narrower_factorised_embeddings_approach_the_teachers_embedding_output_as_they_widen_and_beat_a_random_subspace()
    {
        using var teacher = Teacher();
        var (ids, mask) = Inputs();
        using var noGrad = no_grad();
        double Error(BertQaModel model, BertQaModel reference)
        {
            using var scope = model.UseHiddenStates(true);
            using var referenceScope = reference.UseHiddenStates(true);
            var ours = model.forward(ids, mask, zeros_like(ids)).HiddenStates![0];
            var target = reference.forward(ids, mask, zeros_like(ids)).HiddenStates![0];
            return (ours - target).norm().item<float>() / target.norm().item<float>();
        }
        var errors = new List<double>();
        foreach (int width in new[] { 3, 6, 10, 14, 17 })
        {
            using var student = StudentInitializer.Create(teacher, Tiny(ModelFamily.Electra, 2, 16) with { EmbeddingSize = width }, StudentInitialization.TeacherTruncated);
            student.eval();
            errors.Add(Error(student, teacher));
        }
        for (int i = 1; i < errors.Count; i++) Assert.True(errors[i] < errors[i - 1], $"relative errors by width: {string.Join(", ", errors.Select(e => e.ToString("G3")))}");
        Assert.True(errors[^1] < 1e-4, $"exact at 17 wide: {errors[^1]}");

        // The same construction over a random 9-dimensional subspace instead of the top eigenvectors does worse.
        using var top = StudentInitializer.Create(teacher, Tiny(ModelFamily.Electra, 2, 16) with { EmbeddingSize = 10 }, StudentInitialization.TeacherTruncated);
        using var randomBasis = StudentInitializer.Create(teacher, Tiny(ModelFamily.Electra, 2, 16) with { EmbeddingSize = 10 }, StudentInitialization.TeacherTruncated);
        var tables = randomBasis.state_dict();
        using var generator = new Generator(9);
        var (q, _) = linalg.qr(randn([16, 9], generator: generator));
        var (c, _) = linalg.qr((eye(10) - ones(10, 10) / 10).narrow(1, 0, 9));
        var basis = q.matmul(c.t());
        var t = teacher.state_dict();
        Tensor Centred(Tensor x) => x - x.mean([1], keepdim: true);
        tables["electra.embeddings.word_embeddings.weight"].copy_(Centred(t["bert.embeddings.word_embeddings.weight"]).matmul(basis));
        tables["electra.embeddings.position_embeddings.weight"].copy_(Centred(t["bert.embeddings.position_embeddings.weight"]).matmul(basis));
        tables["electra.embeddings.token_type_embeddings.weight"].copy_(Centred(t["bert.embeddings.token_type_embeddings.weight"]).matmul(basis));
        tables["electra.embeddings_project.weight"].copy_((t["bert.embeddings.LayerNorm.weight"].unsqueeze(1) * basis));
        top.eval();
        randomBasis.eval();
        Assert.True(Error(top, teacher) < Error(randomBasis, teacher), $"top eigenvectors {Error(top, teacher):G3} vs random subspace {Error(randomBasis, teacher):G3}");
    }

    [Fact]
    public void A_teacher_with_factorised_embeddings_is_refused_naming_them()
    {
        using var generator = new Generator(2);
        using var teacher = new BertQaModel(Tiny(ModelFamily.Electra, 2, 16) with { EmbeddingSize = 8 }, generator: generator);
        var e = Assert.Throws<ArgumentException>(() => StudentInitializer.Create(teacher, Tiny(ModelFamily.Bert, 2, 16), StudentInitialization.TeacherTruncated));
        Assert.Contains("embedding_size 8", e.Message);
    }
}
