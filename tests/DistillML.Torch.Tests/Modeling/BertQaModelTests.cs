using DistillML.Torch.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace DistillML.Torch.Tests.Modeling;

public class BertQaModelTests
{
    internal static BertConfig Tiny(ModelFamily family) => new()
    {
        Family = family, VocabSize = 40, HiddenSize = 12, NumLayers = 2, NumHeads = 3, IntermediateSize = 20,
        MaxPositionEmbeddings = 16, TypeVocabSize = family == ModelFamily.DistilBert ? 0 : 2, LayerNormEps = 1e-12,
        EmbeddingSize = family == ModelFamily.Electra ? 8 : null,
    };

    [Fact]
    public void Parameter_count_of_bert_base_qa_equals_hugging_faces()
    {
        Assert.Equal(108_893_186, BertConfig.BertBase.CountQaParameters());
    }

    [Fact]
    public void Parameter_count_of_distilbert_base_qa_equals_hugging_faces()
    {
        Assert.Equal(66_364_418, BertConfig.DistilBertBase.CountQaParameters());
    }

    [Theory]
    [InlineData(ModelFamily.Bert)]
    [InlineData(ModelFamily.DistilBert)]
    [InlineData(ModelFamily.Electra)]
    public void Instantiated_model_has_the_counted_parameters_and_hugging_faces_tensor_names(ModelFamily family)
    {
        var config = Tiny(family) with { NumLayers = 3 };
        using var model = new BertQaModel(config);
        Assert.Equal(config.CountQaParameters(), model.ParameterCount);
        Assert.Equal(HuggingFaceNames.For(config).Order(), model.state_dict().Keys.Order());
    }

    [Fact]
    public void Instantiated_bert_base_has_hugging_faces_parameter_count()
    {
        using var model = new BertQaModel(BertConfig.BertBase);
        Assert.Equal(108_893_186, model.ParameterCount);
    }

    [Theory]
    [InlineData(ModelFamily.Bert)]
    [InlineData(ModelFamily.DistilBert)]
    [InlineData(ModelFamily.Electra)]
    public void Logits_equal_a_plain_reference_computation_with_padding(ModelFamily family)
    {
        torch.manual_seed(3);
        var config = Tiny(family) with { HiddenDropout = 0.3, AttentionDropout = 0.3, QaDropout = 0.3 };
        using var model = new BertQaModel(config);
        model.eval(); // dropout off
        using (torch.no_grad())
            foreach (var p in model.parameters()) p.add_(torch.randn_like(p) * 0.5); // move LayerNorms and biases off their defaults
        var weights = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.data<float>().ToArray());

        long[][] ids = [[2, 7, 9, 31, 4, 5, 0, 0], [2, 11, 3, 39, 17, 8, 22, 6]];
        long[][] mask = [[1, 1, 1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1, 1, 1]];
        long[][] types = [[0, 0, 0, 1, 1, 1, 0, 0], [0, 0, 1, 1, 1, 1, 1, 1]];
        var output = model.forward(
            torch.tensor(ids.SelectMany(r => r).ToArray(), [2, 8]),
            torch.tensor(mask.SelectMany(r => r).ToArray(), [2, 8]),
            family != ModelFamily.DistilBert ? torch.tensor(types.SelectMany(r => r).ToArray(), [2, 8]) : null);

        var reference = new ReferenceQa(config, weights);
        for (int b = 0; b < 2; b++)
        {
            var (start, end) = reference.Forward(ids[b], mask[b], family != ModelFamily.DistilBert ? types[b] : null);
            var ours = (output.StartLogits[b].data<float>().ToArray(), output.EndLogits[b].data<float>().ToArray());
            for (int t = 0; t < 8; t++)
            {
                if (mask[b][t] == 0) continue; // padded positions' logits are not defined by the reference
                Assert.True(Math.Abs(start[t] - ours.Item1[t]) < 1e-4, $"start[{b},{t}]: reference {start[t]}, ours {ours.Item1[t]}");
                Assert.True(Math.Abs(end[t] - ours.Item2[t]) < 1e-4, $"end[{b},{t}]: reference {end[t]}, ours {ours.Item2[t]}");
            }
        }
    }

    [Fact]
    public void Padding_does_not_change_the_logits_of_real_tokens()
    {
        torch.manual_seed(5);
        using var model = new BertQaModel(Tiny(ModelFamily.Bert));
        model.eval();
        var ids = torch.tensor(new long[] { 2, 7, 9, 31 }, [1, 4]);
        var padded = torch.tensor(new long[] { 2, 7, 9, 31, 0, 0, 0 }, [1, 7]);
        var short_ = model.forward(ids, torch.ones(1, 4, dtype: ScalarType.Int64), null);
        var long_ = model.forward(padded, torch.tensor(new long[] { 1, 1, 1, 1, 0, 0, 0 }, [1, 7]), null);
        Assert.True(short_.StartLogits.allclose(long_.StartLogits[.., ..4], atol: 1e-5));
        Assert.True(short_.EndLogits.allclose(long_.EndLogits[.., ..4], atol: 1e-5));
    }

    [Fact]
    public void Hidden_states_and_attentions_are_returned_when_asked_for()
    {
        using var model = new BertQaModel(Tiny(ModelFamily.DistilBert));
        model.eval();
        model.ReturnHiddenStates = true;
        model.ReturnAttentions = true;
        var output = model.forward(torch.ones(2, 5, dtype: ScalarType.Int64), torch.ones(2, 5, dtype: ScalarType.Int64), null);
        Assert.Equal(3, output.HiddenStates!.Count); // embeddings + 2 layers
        Assert.Equal(new long[] { 2, 5, 12 }, output.HiddenStates[2].shape);
        Assert.Equal(2, output.Attentions!.Count);
        Assert.Equal(new long[] { 2, 3, 5, 5 }, output.Attentions[0].shape);
        Assert.True(output.Attentions[0].sum(-1).allclose(torch.ones(2, 3, 5), atol: 1e-5)); // probabilities
    }

    [Fact]
    public async Task Scoped_precision_and_hidden_states_are_seen_only_by_the_flow_that_opened_them()
    {
        using var model = new BertQaModel(Tiny(ModelFamily.Bert));
        using var opened = new ManualResetEventSlim();
        using var checkedOther = new ManualResetEventSlim();
        var inside = Task.Run(() =>
        {
            using (model.UsePrecision(Precision.BFloat16Mixed))
            using (model.UseHiddenStates(true))
            {
                opened.Set();
                checkedOther.Wait();
                return (model.Precision, model.ReturnHiddenStates);
            }
        });
        opened.Wait();
        var outside = (model.Precision, model.ReturnHiddenStates); // this thread, while the other's scopes are open
        checkedOther.Set();

        Assert.Equal((Precision.BFloat16Mixed, true), await inside);
        Assert.Equal((Precision.Float32, false), outside);
        Assert.Equal((Precision.Float32, false), (model.Precision, model.ReturnHiddenStates)); // and after they closed
        model.Precision = Precision.BFloat16Mixed; // the shared value, seen everywhere
        Assert.Equal(Precision.BFloat16Mixed, await Task.Run(() => model.Precision));
    }

    [Fact]
    public void Initialisation_follows_hugging_face()
    {
        torch.manual_seed(1);
        using var model = new BertQaModel(BertConfig.BertBase with { NumLayers = 1, VocabSize = 2000 });
        var weights = model.state_dict();
        var query = weights["bert.encoder.layer.0.attention.self.query.weight"];
        Assert.InRange(query.std().item<float>(), 0.019, 0.021);
        Assert.Equal(0, weights["bert.encoder.layer.0.attention.self.query.bias"].abs().sum().item<float>());
        Assert.Equal(1, weights["bert.embeddings.LayerNorm.weight"].mean().item<float>());
        Assert.Equal(0, weights["bert.embeddings.word_embeddings.weight"][0].abs().sum().item<float>()); // padding row
    }
}
