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

    static readonly BertConfig MiniLm = new() { NumLayers = 6, HiddenSize = 384, NumHeads = 12, IntermediateSize = 1536 };

    [Fact]
    public void ScaledTo_a_bert_base_teacher_spans_six_layers_and_a_third_to_all_of_its_heads_at_its_head_size()
    {
        var space = StudentSearchSpaces.ScaledTo(BertConfig.BertBase);
        var smallest = space.SampleFromFeatureSpace(new double[space.FeatureCount]);
        var largest = space.SampleFromFeatureSpace(Enumerable.Repeat(0.9999, space.FeatureCount).ToArray());
        Assert.Equal((1, 4, 64), (smallest.GetInt32("layers"), smallest.GetInt32("heads"), smallest.GetInt32("head_size")));
        Assert.Equal((6, 12, 64), (largest.GetInt32("layers"), largest.GetInt32("heads"), largest.GetInt32("head_size")));
    }

    [Fact]
    public void ScaledTo_a_minilm_teacher_reaches_every_width_from_a_third_to_all_of_the_teachers_in_whole_heads()
    {
        var space = StudentSearchSpaces.ScaledTo(MiniLm);
        var widths = Enumerable.Range(0, 400).Select(i => new Random(i).Next())
            .Select(seed => space.SampleFromFeatureSpace(Enumerable.Range(0, space.FeatureCount).Select(j => new Random(seed + j).NextDouble()).ToArray()))
            .Select(p => StudentTrialSettings.From(p).Architecture.Hidden).Distinct().Order().ToArray();
        Assert.Equal(Enumerable.Range(4, 9).Select(h => 32 * h).ToArray(), widths);
    }

    [Fact]
    public void The_default_point_of_a_scaled_space_is_distilberts_recipe_half_the_layers_at_full_width_from_the_teacher()
    {
        var settings = StudentTrialSettings.From(StudentSearchSpaces.ScaledTo(MiniLm).Default);
        Assert.Equal("L3 H384 A12 I1536", settings.Shape);
        Assert.Equal(Torch.Distillation.StudentInitialization.TeacherTruncated, settings.Initialization);
        Assert.Equal(0, settings.Architecture.AttentionDropout);
    }

    [Theory]
    [InlineData("teacher", Torch.Distillation.StudentInitialization.TeacherTruncated)]
    [InlineData("random", Torch.Distillation.StudentInitialization.Random)]
    public void The_init_choice_decides_how_the_student_starts(string init, Torch.Distillation.StudentInitialization expected)
    {
        var p = new Parameter([new("layers", 2), new("heads", 4), new("head_size", 32), new("init", init)]);
        Assert.Equal(expected, StudentTrialSettings.From(p).Initialization);
        Assert.Equal(init, StudentTrialSettings.From(p).InitName);
    }

    [Fact]
    public void A_point_without_an_init_choice_leaves_initialisation_to_the_experiment_and_an_unknown_one_is_refused()
    {
        Assert.Null(StudentTrialSettings.From(new Parameter([new("layers", 2)])).Initialization);
        var error = Assert.Throws<ArgumentException>(() => StudentTrialSettings.From(new Parameter([new("init", "pretrained")])));
        Assert.Contains("pretrained", error.Message);
    }

    [Fact]
    public void An_embedding_size_below_the_students_width_makes_an_electra_student_whose_count_is_exact()
    {
        var p = new Parameter([new("layers", 4), new("heads", 12), new("head_size", 32), new("intermediate_multiple", 4), new("embedding_size", 128)]);
        var settings = StudentTrialSettings.From(p);
        Assert.Equal(ModelFamily.Electra, settings.Architecture.Family);
        Assert.Equal("L4 H384 A12 I1536 E128", settings.Shape);
        var config = settings.Architecture.ToConfig(new BertConfig { VocabSize = 30522 });
        using var student = new BertQaModel(config);
        Assert.Equal(student.ParameterCount, settings.ParameterCount(30522));
        // Under half of all-MiniLM-L6-v2's 22,566,146 as a QA model: the 384-wide word table alone is 11.7M.
        Assert.True(settings.ParameterCount(30522) < 22_566_146 / 2, $"{settings.ParameterCount(30522):N0}");

        var full = StudentTrialSettings.From(new Parameter([new("layers", 4), new("heads", 4), new("head_size", 32), new("embedding_size", 384)]));
        Assert.Equal(ModelFamily.DistilBert, full.Architecture.Family); // at or above the width: ordinary embeddings
        Assert.Null(full.Architecture.EmbeddingSize);
    }

    [Fact]
    public void ScaledTo_a_minilm_teacher_searches_embedding_widths_from_a_sixth_to_all_of_its_width_defaulting_to_all()
    {
        var space = StudentSearchSpaces.ScaledTo(MiniLm);
        Assert.Equal([384, 256, 128, 64], StudentSearchSpaces.EmbeddingSizes(384));
        Assert.Equal(384, space.Default.GetInt32("embedding_size"));
        Assert.Equal(ModelFamily.DistilBert, StudentTrialSettings.From(space.Default).Architecture.Family);
    }
}
