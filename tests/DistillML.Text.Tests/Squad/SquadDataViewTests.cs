using DistillML.TestSupport;
using DistillML.Text.Squad;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DistillML.Text.Tests.Squad;

public class SquadDataViewTests
{
    static readonly MLContext Ml = new(seed: 1);

    [Fact]
    public void LoadFromSquadJson_gives_the_squad_columns_with_their_types()
    {
        var view = Ml.Data.LoadFromSquadJson(SharedAssets.Squad("dev-v2.0.json"));
        var schema = view.Schema;
        Assert.Equal(["Id", "Title", "Context", "Question", "Answers", "AnswerStarts", "IsImpossible"], schema.Select(c => c.Name));
        foreach (var name in new[] { "Id", "Title", "Context", "Question" }) Assert.Equal(TextDataViewType.Instance, schema[name].Type);
        var answers = Assert.IsType<VectorDataViewType>(schema["Answers"].Type);
        Assert.Equal(TextDataViewType.Instance, answers.ItemType);
        Assert.False(answers.IsKnownSize);
        var starts = Assert.IsType<VectorDataViewType>(schema["AnswerStarts"].Type);
        Assert.Equal(NumberDataViewType.Int32, starts.ItemType);
        Assert.False(starts.IsKnownSize);
        Assert.Equal(BooleanDataViewType.Instance, schema["IsImpossible"].Type);
    }

    [Fact]
    public void LoadFromSquadJson_has_one_row_per_question_with_the_gold_answers()
    {
        var view = Ml.Data.LoadFromSquadJson(SharedAssets.Squad("dev-v2.0.json"));
        var rows = Ml.Data.CreateEnumerable<SquadDataRow>(view, reuseRowObject: false).ToList();
        Assert.Equal(11_873, rows.Count);
        Assert.Equal(5_945, rows.Count(r => r.IsImpossible));
        Assert.Equal(["France", "France", "France", "France"], rows[0].Answers);
        Assert.Equal([159, 159, 159, 159], rows[0].AnswerStarts);
        Assert.All(rows.Where(r => r.IsImpossible), r => Assert.Empty(r.Answers));
    }

    [Fact]
    public void ToExamples_round_trips_the_loaded_examples()
    {
        string path = SharedAssets.Squad("dev-v1.1.json");
        var expected = SquadDataset.Load(path);
        var actual = SquadDataView.ToExamples(Ml.Data.LoadFromSquadJson(path)).ToList();
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i] with { Answers = [] }, actual[i] with { Answers = [] });
            Assert.Equal(expected[i].Answers, actual[i].Answers);
        }
        Assert.Same(actual[0].Context, actual[1].Context);
    }

    [Fact]
    public void ToExamples_rejects_a_view_without_a_required_column_naming_it()
    {
        var view = Ml.Data.LoadFromEnumerable([new { Id = "q", Context = "c", Question = "q?" }]);
        var e = Assert.Throws<ArgumentException>(() => SquadDataView.ToExamples(view));
        Assert.Contains("no column 'Answers'", e.Message);
    }

    [Fact]
    public void ToExamples_rejects_a_column_of_the_wrong_type_naming_column_and_types()
    {
        var view = Ml.Data.LoadFromEnumerable([new WrongStarts()]);
        var e = Assert.Throws<ArgumentException>(() => SquadDataView.ToExamples(view));
        Assert.Contains("Column 'AnswerStarts' must be vector of Int32 but is Vector<Single>", e.Message);
    }

    [Fact]
    public void ToExamples_rejects_answers_and_starts_of_different_lengths_naming_the_row()
    {
        var row = new SquadDataRow { Id = "q7", Context = "abc", Question = "Q?", Answers = ["a", "b"], AnswerStarts = [0] };
        var view = Ml.Data.LoadFromEnumerable([row]);
        var e = Assert.Throws<InvalidOperationException>(() => SquadDataView.ToExamples(view).ToList());
        Assert.Contains("Row 'q7'", e.Message);
    }

    [Fact]
    public void ToExamples_defaults_title_and_is_impossible_when_absent()
    {
        var view = Ml.Data.LoadFromEnumerable([new NoTitle { Id = "q", Context = "abc", Question = "Q?", Answers = [], AnswerStarts = [] }]);
        var example = Assert.Single(SquadDataView.ToExamples(view));
        Assert.Equal("", example.Title);
        Assert.True(example.IsImpossible);
    }

    [Fact]
    public void LoadFromSquadExamples_views_examples_made_in_memory()
    {
        SquadExample[] examples = [new("q1", "T", "abc def", "Q?", [new SquadAnswer("def", 4)], false), new("q2", "T", "abc def", "R?", [], true)];
        var back = SquadDataView.ToExamples(Ml.Data.LoadFromSquadExamples(examples)).ToList();
        Assert.Equal(examples.Select(e => e.Id), back.Select(e => e.Id));
        Assert.Equal(new SquadAnswer("def", 4), back[0].Answers.Single());
        Assert.True(back[1].IsImpossible);
    }

    sealed class WrongStarts
    {
        public string Id { get; set; } = "q";
        public string Context { get; set; } = "c";
        public string Question { get; set; } = "q?";
        [VectorType] public string[] Answers { get; set; } = ["c"];
        [VectorType] public float[] AnswerStarts { get; set; } = [0];
    }

    sealed class NoTitle
    {
        public string Id { get; set; } = "";
        public string Context { get; set; } = "";
        public string Question { get; set; } = "";
        [VectorType] public string[] Answers { get; set; } = [];
        [VectorType] public int[] AnswerStarts { get; set; } = [];
    }
}
