using DistillML.Text.Squad;
using static DistillML.Text.Tests.Squad.TempSquadFile;

namespace DistillML.Text.Tests.Squad;

public class SquadDatasetValidationTests
{
    const string Context = "The Normans gave their name to Normandy, a region in France.";

    static SquadFormatException Rejects(TempSquadFile file)
    {
        using (file) return Assert.Throws<SquadFormatException>(() => SquadDataset.Load(file.Path));
    }

    [Fact]
    public void Loader_rejects_a_file_that_is_not_json()
    {
        using var file = new TempSquadFile("this is not JSON");
        var e = Assert.Throws<SquadFormatException>(() => SquadDataset.Load(file.Path));
        Assert.Equal("(json)", e.Field);
        Assert.Contains(file.Path, e.Message);
        Assert.Contains("not well-formed JSON", e.Message);
        Assert.Equal(1, e.Problem.Line);
    }

    [Fact]
    public void Loader_rejects_truncated_json_naming_the_line()
    {
        var e = Rejects(new TempSquadFile("{\"data\": [\n{\"title\": \"T\",\n \"paragraphs\": [{\"context\": \"abc\""));
        Assert.Equal("(json)", e.Field);
        Assert.Equal(3, e.Problem.Line);
    }

    [Fact]
    public void Loader_rejects_an_empty_file()
    {
        var e = Rejects(new TempSquadFile(""));
        Assert.Equal("(json)", e.Field);
    }

    [Fact]
    public void Loader_rejects_a_file_without_data()
    {
        var e = Rejects(new TempSquadFile("""{"version": "1.1"}"""));
        Assert.Equal("data", e.Field);
        Assert.Contains("missing field 'data'", e.Message);
    }

    [Fact]
    public void Loader_rejects_data_that_is_not_an_array()
    {
        var e = Rejects(new TempSquadFile("""{"data": {"title": "T"}}"""));
        Assert.Equal("data", e.Field);
        Assert.Contains("{...}", e.Message);
    }

    [Fact]
    public void Loader_rejects_an_article_without_paragraphs()
    {
        var e = Rejects(new TempSquadFile("""{"data": [{"title": "Normans"}]}"""));
        Assert.Equal("paragraphs", e.Field);
        Assert.Contains("'Normans'", e.Message);
    }

    [Fact]
    public void Loader_rejects_a_paragraph_without_qas()
    {
        var e = Rejects(new TempSquadFile("""{"data": [{"title": "T", "paragraphs": [{"context": "abc"}]}]}"""));
        Assert.Equal("qas", e.Field);
    }

    [Fact]
    public void Loader_rejects_a_paragraph_without_context_naming_the_question()
    {
        var e = Rejects(new TempSquadFile($$"""{"data": [{"title": "T", "paragraphs": [{"qas": [{{Question("q1", "Who?", ("x", 0))}}]}]}]}"""));
        Assert.Equal("context", e.Field);
        Assert.Equal("q1", e.QuestionId);
    }

    [Theory]
    [InlineData("id", """{"question": "Who?", "answers": [{"text": "Normans", "answer_start": 4}]}""")]
    [InlineData("question", """{"id": "q1", "answers": [{"text": "Normans", "answer_start": 4}]}""")]
    [InlineData("answers", """{"id": "q1", "question": "Who?"}""")]
    [InlineData("text", """{"id": "q1", "question": "Who?", "answers": [{"answer_start": 4}]}""")]
    [InlineData("answer_start", """{"id": "q1", "question": "Who?", "answers": [{"text": "Normans"}]}""")]
    public void Loader_rejects_a_question_with_a_missing_field(string field, string question)
    {
        var e = Rejects(WithQuestions(Context, question));
        Assert.Equal(field, e.Field);
        Assert.Contains($"missing field '{field}'", e.Message);
        if (field != "id") Assert.Equal("q1", e.QuestionId);
    }

    [Fact]
    public void Loader_rejects_answer_not_at_its_answer_start_naming_file_id_field_value_and_line()
    {
        using var file = WithQuestions(Context, Question("q1", "Who?", ("Normans", 4)), Question("q2", "Where?", ("France", 5)));
        var e = Assert.Throws<SquadFormatException>(() => SquadDataset.Load(file.Path));
        Assert.Equal("q2", e.QuestionId);
        Assert.Equal("answer_start", e.Field);
        Assert.Equal("5", e.Problem.Value);
        Assert.Equal(2, e.Problem.Line);
        Assert.Contains(file.Path, e.Message);
        Assert.Contains("question 'q2'", e.Message);
        Assert.Contains("field 'answer_start' = 5", e.Message);
        Assert.Contains("\"France\" is not at this offset", e.Message);
        Assert.Contains("it occurs at offset 53", e.Message);
    }

    [Fact]
    public void Loader_rejects_answer_outside_context()
    {
        var e = Rejects(WithQuestions(Context, Question("q1", "Where?", ("France.", 56))));
        Assert.Equal("answer_start", e.Field);
        Assert.Contains("does not fit in the context (60 characters)", e.Message);
    }

    [Fact]
    public void Loader_rejects_a_negative_answer_start()
    {
        var e = Rejects(WithQuestions(Context, Question("q1", "Who?", ("Normans", -4))));
        Assert.Equal("answer_start", e.Field);
        Assert.Equal("-4", e.Problem.Value);
        Assert.Contains("negative offset", e.Message);
    }

    [Theory]
    [InlineData("\"4\"")]
    [InlineData("4.5")]
    [InlineData("null")]
    public void Loader_rejects_an_answer_start_that_is_not_an_integer(string value)
    {
        var e = Rejects(WithQuestions(Context, $$"""{"id": "q1", "question": "Who?", "answers": [{"text": "Normans", "answer_start": {{value}}}]}"""));
        Assert.Equal("answer_start", e.Field);
        Assert.Equal("q1", e.QuestionId);
        Assert.Contains("expected an integer", e.Message);
    }

    [Fact]
    public void Loader_rejects_an_empty_answer_text()
    {
        var e = Rejects(WithQuestions(Context, Question("q1", "Who?", ("", 4))));
        Assert.Equal("text", e.Field);
    }

    [Fact]
    public void Loader_rejects_duplicate_ids_naming_the_first_line()
    {
        var e = Rejects(WithQuestions(Context, Question("q1", "Who?", ("Normans", 4)), Question("q1", "Where?", ("France", 53))));
        Assert.Equal("id", e.Field);
        Assert.Equal("q1", e.QuestionId);
        Assert.Contains("duplicate question id (first used on line 1)", e.Message);
    }

    [Fact]
    public void Loader_rejects_duplicate_ids_across_articles()
    {
        string article = $$"""{"title": "T", "paragraphs": [{"context": "abc", "qas": [{{Question("same", "Q?", ("abc", 0))}}]}]}""";
        var e = Rejects(new TempSquadFile($$"""{"data": [{{article}}, {{article}}]}"""));
        Assert.Equal("same", e.QuestionId);
        Assert.Equal("id", e.Field);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Loader_rejects_an_empty_question(string question)
    {
        var e = Rejects(WithQuestions(Context, Question("q1", question, ("Normans", 4))));
        Assert.Equal("question", e.Field);
        Assert.Equal("q1", e.QuestionId);
        Assert.Contains("the question is empty", e.Message);
    }

    [Fact]
    public void Loader_rejects_an_empty_id()
    {
        var e = Rejects(WithQuestions(Context, Question("", "Who?", ("Normans", 4))));
        Assert.Equal("id", e.Field);
    }

    [Fact]
    public void Loader_rejects_an_impossible_question_that_has_answers()
    {
        var e = Rejects(WithQuestions(Context, """{"id": "q1", "question": "Who?", "answers": [{"text": "Normans", "answer_start": 4}], "is_impossible": true}"""));
        Assert.Equal("is_impossible", e.Field);
    }

    [Fact]
    public void Loader_rejects_an_answerable_question_without_answers()
    {
        var e = Rejects(WithQuestions(Context, """{"id": "q1", "question": "Who?", "answers": []}"""));
        Assert.Equal("answers", e.Field);
        Assert.Contains("not marked is_impossible", e.Message);
    }

    [Fact]
    public void Loader_rejects_a_field_of_the_wrong_type()
    {
        var e = Rejects(WithQuestions(Context, """{"id": 17, "question": "Who?", "answers": [{"text": "Normans", "answer_start": 4}]}"""));
        Assert.Equal("id", e.Field);
        Assert.Equal("17", e.Problem.Value);
        Assert.Contains("expected a string", e.Message);
    }

    [Fact]
    public void Loader_skip_mode_collects_problems_and_keeps_the_valid_questions()
    {
        using var file = WithQuestions(Context,
            Question("ok1", "Who?", ("Normans", 4)),
            Question("bad-offset", "Where?", ("France", 5)),
            Question("ok1", "Again?", ("Normans", 4)),
            Question("empty", " ", ("Normans", 4)),
            """{"id": "no-answers", "question": "Who?"}""",
            Question("ok2", "What is it?"));
        var options = new SquadLoadOptions { OnInvalidQuestion = InvalidQuestionHandling.Skip };
        var examples = SquadDataset.Load(file.Path, options);
        Assert.Equal(["ok1", "ok2"], examples.Select(e => e.Id));
        Assert.Equal(["bad-offset", "ok1", "empty", "no-answers"], options.Problems.Select(p => p.QuestionId));
        Assert.Equal(["answer_start", "id", "question", "answers"], options.Problems.Select(p => p.Field));
        Assert.All(options.Problems, p => Assert.Equal(file.Path, p.FilePath));
    }

    [Fact]
    public void Loader_skip_mode_skips_a_paragraph_without_qas_and_goes_on()
    {
        using var file = new TempSquadFile($$"""{"data": [{"title": "T", "paragraphs": [{"context": "abc"}, {"context": "abc", "qas": [{{Question("q2", "Q?", ("b", 1))}}]}]}]}""");
        var options = new SquadLoadOptions { OnInvalidQuestion = InvalidQuestionHandling.Skip };
        var examples = SquadDataset.Load(file.Path, options);
        Assert.Equal("q2", Assert.Single(examples).Id);
        Assert.Equal("qas", Assert.Single(options.Problems).Field);
    }

    [Fact]
    public void Loader_skip_mode_still_throws_on_malformed_json()
    {
        using var file = new TempSquadFile("{\"data\": [");
        var options = new SquadLoadOptions { OnInvalidQuestion = InvalidQuestionHandling.Skip };
        Assert.Throws<SquadFormatException>(() => SquadDataset.Load(file.Path, options));
    }

    [Fact]
    public void Loader_reports_a_missing_file_as_file_not_found()
    {
        var e = Assert.Throws<FileNotFoundException>(() => SquadDataset.Load("/nonexistent/squad.json"));
        Assert.Contains("/nonexistent/squad.json", e.Message);
    }
}
