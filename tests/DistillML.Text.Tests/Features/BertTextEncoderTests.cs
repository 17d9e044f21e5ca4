using DistillML.Text.Features;

namespace DistillML.Text.Tests.Features;

// Expected ids were checked by hand in bert-base-uncased-vocab.txt: id = line number - 1
// (grep -n -x 'hello' vocab.txt -> line 7593 -> id 7592).
public class BertTextEncoderTests
{
    static int[] Ids(string text) => Vocab.Encoder.Encode(text).Ids.ToArray();

    [Fact]
    public void Hello_world_gets_the_bert_base_uncased_ids()
    {
        Assert.Equal([7592, 1010, 2088, 999], Ids("Hello, world!"));
        Assert.Equal(101, Vocab.Encoder.ClsId);
        Assert.Equal(102, Vocab.Encoder.SepId);
        Assert.Equal(0, Vocab.Encoder.PadId);
    }

    [Fact]
    public void Accents_are_stripped_and_case_lowered()
    {
        Assert.Equal([7668, 8740, 21110, 2102], Ids("Café au lait"));           // cafe au lai ##t
        Assert.Equal([15743, 20773, 1005, 1055], Ids("Naïve Beyoncé's"));       // naive beyonce ' s
    }

    [Fact]
    public void Long_words_split_into_continuation_pieces()
    {
        Assert.Equal([14477, 20961, 3468], Ids("unaffable"));                   // una ##ffa ##ble
    }

    [Fact]
    public void Words_of_more_than_100_characters_become_unknown()
    {
        Assert.Equal([100], Ids(new string('a', 101)));
    }

    [Fact]
    public void Offsets_point_into_the_original_text_even_when_accents_are_stripped()
    {
        var t = Vocab.Encoder.Encode("Beyoncé's café");
        Assert.Equal(["Beyoncé", "'", "s", "café"], Enumerable.Range(0, t.Count).Select(t.Slice));
    }

    [Fact]
    public void Offsets_survive_removed_control_characters_and_combining_marks()
    {
        // A tab splits like a space; a zero-width space (format) and a lone combining acute are removed by BERT's
        // normalization, which would shift offsets taken from the normalized text.
        const string text = "x\u200By tab\there e\u0301t\u00E9 end";
        var t = Vocab.Encoder.Encode(text);
        string[] slices = Enumerable.Range(0, t.Count).Select(t.Slice).ToArray();
        Assert.Equal("end", slices[^1]);
        Assert.Equal(text.IndexOf("end", StringComparison.Ordinal), t.Span(t.Count - 1).Start);
        Assert.Contains("tab", slices);
        Assert.Contains("here", slices);
        Assert.Equal("e\u0301t\u00E9", string.Concat(slices[^(1 + Ids("ete").Length)..^1]));
    }

    [Fact]
    public void Word_pieces_cover_their_word_without_gaps()
    {
        var t = Vocab.Encoder.Encode("antidisestablishmentarianism");
        Assert.True(t.Count > 3);
        Assert.Equal(0, t.Span(0).Start);
        for (int i = 1; i < t.Count; i++) Assert.Equal(t.Span(i - 1).End, t.Span(i).Start);
        Assert.Equal(28, t.Span(t.Count - 1).End);
    }

    [Fact]
    public void Cjk_ideographs_are_tokens_of_their_own()
    {
        var t = Vocab.Encoder.Encode("東京");
        Assert.Equal(2, t.Count);
        Assert.Equal(["東", "京"], new[] { t.Slice(0), t.Slice(1) });
    }
}
