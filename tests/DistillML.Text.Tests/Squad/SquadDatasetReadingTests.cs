using System.Text;
using DistillML.Text.Squad;
using static DistillML.Text.Tests.Squad.TempSquadFile;

namespace DistillML.Text.Tests.Squad;

public class SquadDatasetReadingTests
{
    const string Context = "The Normans gave their name to Normandy, a region in France.";

    [Fact]
    public void Loader_reads_gzip_compressed_files()
    {
        string json = $$"""{"data": [{"title": "T", "paragraphs": [{"context": {{Json(Context)}}, "qas": [{{Question("q1", "Who?", ("Normans", 4))}}]}]}]}""";
        using var file = new TempSquadFile(json, gzip: true);
        var example = Assert.Single(SquadDataset.Load(file.Path));
        Assert.Equal(new SquadAnswer("Normans", 4), example.Answers[0]);
    }

    [Fact]
    public void Loader_accepts_qas_before_context_and_title_after_paragraphs()
    {
        using var file = new TempSquadFile($$"""
            {"data": [{"paragraphs": [{"qas": [{{Question("q1", "Who?", ("Normans", 4))}}], "context": {{Json(Context)}}}], "title": "Late title"}],
             "version": "1.1"}
            """);
        var example = Assert.Single(SquadDataset.Load(file.Path));
        Assert.Equal("Late title", example.Title);
        Assert.Equal(Context, example.Context);
    }

    [Fact]
    public void Loader_ignores_plausible_answers_and_unknown_fields()
    {
        using var file = WithQuestions(Context,
            """{"plausible_answers": [{"text": "Normans", "answer_start": 4}], "id": "q1", "question": "Who?", "answers": [], "is_impossible": true, "extra": {"nested": [1, 2, {"a": null}]}}""");
        var example = Assert.Single(SquadDataset.Load(file.Path));
        Assert.True(example.IsImpossible);
        Assert.Empty(example.Answers);
    }

    [Fact]
    public void Loader_treats_a_missing_is_impossible_as_answerable_like_squad_1_1()
    {
        using var file = WithQuestions(Context, """{"id": "q1", "question": "Who?", "answers": [{"text": "Normans", "answer_start": 4}]}""");
        Assert.False(Assert.Single(SquadDataset.Load(file.Path)).IsImpossible);
    }

    [Fact]
    public void Loader_decodes_escapes_and_skips_a_byte_order_mark()
    {
        using var file = new TempSquadFile("""{"data": [{"title": "Caf\u00e9", "paragraphs": [{"context": "a\"b\"\nCaf\u00e9 \ud83d\ude00 end", "qas": [{"id": "q", "question": "Q?", "answers": [{"text": "end", "answer_start": 12}]}]}]}]}""", bom: true);
        var example = Assert.Single(SquadDataset.Load(file.Path));
        Assert.Equal("Café", example.Title);
        // "a\"b\"\nCafé 😀 end": the emoji is one code point in the file's offset and two UTF-16 units here.
        Assert.Equal(13, example.Answers[0].Start);
        Assert.Equal("end", example.Context.Substring(13, 3));
    }

    [Fact]
    public void Loader_reads_values_larger_than_its_read_buffer()
    {
        string context = string.Concat(Enumerable.Repeat("lorem ipsum ", 20_000)) + "needle";
        using var file = WithQuestions(context, Question("q1", "Where?", ("needle", context.Length - 6)));
        var example = Assert.Single(SquadDataset.Load(file.Path));
        Assert.Equal(context, example.Context);
    }

    [Fact]
    public void Read_is_lazy_and_yields_early_articles_before_reaching_a_later_problem()
    {
        var json = new StringBuilder("{\"data\": [");
        for (int i = 0; i < 2000; i++)
            json.Append($$"""{"title": "A{{i}}", "paragraphs": [{"context": "abc", "qas": [{{Question($"q{i}", "Q?", ("abc", 0))}}]}]},""");
        json.Append("{\"title\": \"broken\"");
        using var file = new TempSquadFile(json.ToString());
        Assert.Equal("q0", SquadDataset.Read(file.Path).First().Id);
        Assert.Throws<SquadFormatException>(() => SquadDataset.Load(file.Path));
    }
}
