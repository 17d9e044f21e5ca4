using DistillML.Experiments;
using DistillML.Torch.Modeling;
using DistillML.Tuning.SearchSpace;

namespace DistillML.Tests.Experiments;

public sealed class StudentTrialSettingsTests
{
    [Fact]
    public void ParameterCount_is_the_exact_weight_count_of_the_student_it_describes()
    {
        var p = new Parameter([new("layers", 2), new("heads", 2), new("head_size", 16), new("intermediate_multiple", 3)]);
        var settings = StudentTrialSettings.From(p, maxPositions: 128);
        using var student = new BertQaModel(settings.Architecture.ToConfig(new BertConfig { VocabSize = 30522, MaxPositionEmbeddings = 128 }));
        Assert.Equal(student.ParameterCount, settings.ParameterCount(30522));
        Assert.Equal("L2 H32 A2 I96", settings.Shape);
    }

    [Fact]
    public void From_reads_the_distillation_settings_and_gives_the_label_term_the_rest_of_alpha()
    {
        var p = StudentSearchSpace.DistilBertLike().Default;
        var settings = StudentTrialSettings.From(p);
        Assert.Equal(p.GetDouble("alpha_ce"), settings.AlphaCe);
        Assert.Equal(1 - p.GetDouble("alpha_ce"), settings.AlphaSquad, 12);
        Assert.Equal(p.GetDouble("learning_rate"), settings.LearningRate);
        Assert.Equal(p.GetInt32("heads") * p.GetInt32("head_size"), settings.Architecture.Hidden);
    }

    [Fact]
    public void From_rejects_a_hidden_size_the_heads_do_not_divide()
    {
        var p = new Parameter([new("hidden", 30), new("heads", 4)]);
        var error = Assert.Throws<ArgumentException>(() => StudentTrialSettings.From(p));
        Assert.Contains("impossible student", error.Message);
    }

    [Fact]
    public void ScaledTo_a_bert_base_teacher_spans_six_layers_twelve_heads_and_head_sizes_32_and_64()
    {
        var space = StudentSearchSpaces.ScaledTo(BertConfig.BertBase);
        var smallest = space.SampleFromFeatureSpace(new double[space.FeatureCount]);
        var largest = space.SampleFromFeatureSpace(Enumerable.Repeat(0.9999, space.FeatureCount).ToArray());
        Assert.Equal((1, 1, 32), (smallest.GetInt32("layers"), smallest.GetInt32("heads"), smallest.GetInt32("head_size")));
        Assert.Equal((6, 12, 64), (largest.GetInt32("layers"), largest.GetInt32("heads"), largest.GetInt32("head_size")));
    }
}
