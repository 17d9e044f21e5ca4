using DistillML.Text.Features;
using DistillML.Text.Squad;

namespace DistillML.Text.Tests.Features;

public class BertFeaturizerTests
{
    static SquadExample Example(string question, string context, string? answer = null, int answerStart = -1)
    {
        var answers = answer is null ? [] : new[] { new SquadAnswer(answer, answerStart >= 0 ? answerStart : context.IndexOf(answer, StringComparison.Ordinal)) };
        return new SquadExample("q1", "t", context, question, answers, answer is null);
    }

    // 26 one-token words "a" .. "z" (ids 1037 .. 1062), context characters at 2*i.
    const string Letters = "a b c d e f g h i j k l m n o p q r s t u v w x y z";

    [Fact]
    public void Window_is_cls_question_sep_context_sep_then_padding()
    {
        var f = Vocab.Featurizer().Featurize(Example("Who?", "Hello, world!")).Single();
        Assert.Equal(384, f.InputIds.Length);
        Assert.Equal([101L, 2040, 1029, 102, 7592, 1010, 2088, 999, 102], f.InputIds[..9]);
        Assert.All(f.InputIds[9..], id => Assert.Equal(0L, id));
        Assert.Equal([0L, 0, 0, 0, 1, 1, 1, 1, 1], f.TokenTypeIds[..9]);
        Assert.All(f.TokenTypeIds[9..], t => Assert.Equal(0L, t));
        Assert.Equal(9, f.AttentionMask.Sum(m => (int)m));
        Assert.Equal(1L, f.AttentionMask[8]);
        Assert.Equal(0L, f.AttentionMask[9]);
        Assert.Equal(9, f.SequenceLength);
        Assert.Equal(4, f.ContextStart);
        Assert.Equal(4, f.ContextLength);
    }

    [Fact]
    public void Only_context_tokens_have_character_offsets()
    {
        var f = Vocab.Featurizer().Featurize(Example("Who?", "Hello, world!")).Single();
        Assert.Equal([new CharSpan(0, 5), new CharSpan(5, 6), new CharSpan(7, 12), new CharSpan(12, 13)], f.TokenOffsets[4..8]);
        foreach (int p in new[] { 0, 1, 2, 3, 8, 9, 383 })
        {
            Assert.True(f.TokenOffsets[p].IsNone);
            Assert.False(f.IsContextToken(p));
        }
        Assert.True(f.IsContextToken(4) && f.IsContextToken(7));
    }

    [Fact]
    public void Without_padding_windows_keep_their_real_length()
    {
        var f = Vocab.Featurizer(new FeaturizerOptions { PadToMaxLength = false }).Featurize(Example("Who?", "Hello, world!")).Single();
        Assert.Equal(9, f.InputIds.Length);
        Assert.Equal(9, f.TokenTypeIds.Length);
        Assert.Equal(9, f.AttentionMask.Length);
        Assert.All(f.AttentionMask, m => Assert.Equal(1L, m));
    }

    [Fact]
    public void Answer_labels_point_at_the_answer_tokens()
    {
        var f = Vocab.Featurizer().Featurize(Example("Who?", "Hello, wonderful world!", "wonderful world")).Single();
        Assert.True(f.HasAnswer);
        Assert.Equal("wonderful world", "Hello, wonderful world!"[f.TokenOffsets[f.StartPosition].Start..f.TokenOffsets[f.EndPosition].End]);
    }

    [Fact]
    public void Answer_inside_a_word_piece_labels_the_covering_pieces()
    {
        // "unaffable" = una ##ffa ##ble; the answer "affable" starts inside "una".
        var f = Vocab.Featurizer().Featurize(Example("What?", "It was unaffable.", "affable")).Single();
        Assert.Equal(f.ContextStart + 2, f.StartPosition);
        Assert.Equal(f.ContextStart + 4, f.EndPosition);
    }

    [Fact]
    public void Answer_after_characters_that_normalization_removes_maps_back_exactly()
    {
        // Tab, zero-width space and a combining accent before the answer: offsets must still be original-text offsets.
        const string context = "x\u200By tab\there e\u0301te: Beyoncé's café.";
        var f = Vocab.Featurizer().Featurize(Example("Who?", context, "Beyoncé's café")).Single();
        Assert.Equal("Beyoncé's café", context[f.TokenOffsets[f.StartPosition].Start..f.TokenOffsets[f.EndPosition].End]);
    }

    [Fact]
    public void Unanswerable_questions_label_cls_in_every_window()
    {
        var features = Vocab.Featurizer(new FeaturizerOptions { MaxSequenceLength = 16, MaxQueryLength = 4, DocStride = 2 })
            .Featurize(Example("What?", Letters));
        Assert.True(features.Count > 1);
        Assert.All(features, f => Assert.Equal((0, 0), (f.StartPosition, f.EndPosition)));
    }

    [Fact]
    public void Question_is_cut_to_max_query_length()
    {
        var f = Vocab.Featurizer(new FeaturizerOptions { MaxQueryLength = 3 }).Featurize(Example("a b c d e", "x")).Single();
        Assert.Equal([101L, 1037, 1038, 1039, 102], f.InputIds[..5]);
        Assert.Equal(5, f.ContextStart);
    }

    [Fact]
    public void Consecutive_windows_overlap_by_the_stride_and_cover_the_context()
    {
        // "What?" = 2 tokens -> 16 - 2 - 3 = 11 context tokens a window, step 11 - 4 = 7: windows at 0, 7, 14, 21.
        var features = Vocab.Featurizer(new FeaturizerOptions { MaxSequenceLength = 16, MaxQueryLength = 4, DocStride = 4 })
            .Featurize(Example("What?", Letters));
        Assert.Equal([0, 7, 14, 21], features.Select(f => f.ContextTokenOffset));
        Assert.Equal([11, 11, 11, 5], features.Select(f => f.ContextLength));
        Assert.Equal([0, 1, 2, 3], features.Select(f => f.WindowIndex));
        for (int w = 1; w < features.Count; w++)
        {
            QaFeature prev = features[w - 1], next = features[w];
            int prevTail = prev.ContextStart + prev.ContextLength - 4;
            Assert.Equal(prev.InputIds[prevTail..(prevTail + 4)], next.InputIds[next.ContextStart..(next.ContextStart + 4)]);
            Assert.Equal(prev.TokenOffsets[prevTail..(prevTail + 4)], next.TokenOffsets[next.ContextStart..(next.ContextStart + 4)]);
        }
        QaFeature last = features[^1];
        Assert.Equal(Letters.Length, last.TokenOffsets[last.ContextStart + last.ContextLength - 1].End);
    }

    [Fact]
    public void Windows_that_do_not_hold_the_whole_answer_label_cls()
    {
        // Answer "m n" = tokens 12..13: inside window 0 (0..10)? no; window 1 (7..17) yes; window 2 (14..24) no.
        var features = Vocab.Featurizer(new FeaturizerOptions { MaxSequenceLength = 16, MaxQueryLength = 4, DocStride = 4 })
            .Featurize(Example("What?", Letters, "m n"));
        Assert.Equal([false, true, false, false], features.Select(f => f.HasAnswer));
        QaFeature hit = features[1];
        Assert.Equal(hit.ContextStart + 12 - 7, hit.StartPosition);
        Assert.Equal(hit.ContextStart + 13 - 7, hit.EndPosition);
        // An answer cut by a window edge ("j k l m": tokens 9..12, window 0 ends at 10) is labelled only where whole.
        var cut = Vocab.Featurizer(new FeaturizerOptions { MaxSequenceLength = 16, MaxQueryLength = 4, DocStride = 4 })
            .Featurize(Example("What?", Letters, "j k l m"));
        Assert.Equal([false, true, false, false], cut.Select(f => f.HasAnswer));
    }

    [Fact]
    public void Empty_context_gives_one_window_without_context_tokens()
    {
        var f = Vocab.Featurizer().Featurize(Example("Who?", "")).Single();
        Assert.Equal(0, f.ContextLength);
        Assert.Equal([101L, 2040, 1029, 102, 102], f.InputIds[..5]);
    }

    [Fact]
    public void Featurizing_a_sequence_numbers_the_examples()
    {
        var features = Vocab.Featurizer().Featurize([Example("Who?", "Hello"), Example("What?", "World")]).ToList();
        Assert.Equal([0, 1], features.Select(f => f.ExampleIndex));
    }

    [Fact]
    public void A_stride_that_leaves_windows_no_room_to_advance_is_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => Vocab.Featurizer(new FeaturizerOptions { MaxSequenceLength = 100, MaxQueryLength = 64, DocStride = 40 }));
        Assert.Contains("DocStride", e.Message);
    }

    [Fact]
    public void Create_without_a_vocabulary_path_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => BertFeaturizer.Create(new FeaturizerOptions()));
        Assert.Throws<FileNotFoundException>(() => BertFeaturizer.Create(new FeaturizerOptions { VocabPath = "/nonexistent/vocab.txt" }));
    }

    [Fact]
    public void An_answer_outside_its_context_is_rejected_with_the_question_id()
    {
        var e = Assert.Throws<ArgumentException>(() => Vocab.Featurizer().Featurize(Example("Who?", "Hi", "Hello", 0)));
        Assert.Contains("q1", e.Message);
    }
}
