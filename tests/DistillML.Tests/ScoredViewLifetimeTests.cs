using Microsoft.ML;

namespace DistillML.Tests;

/// <summary>The scored view of a question-answering transformer fails clearly when it can no longer score, and never replays an old failure.</summary>
[Collection(TinyTeacherCollection.Name)]
public sealed class ScoredViewLifetimeTests(TinyTeacherFixture fixture)
{
    private sealed class Answer
    {
        public string PredictedAnswer { get; set; } = "";
    }

    [Fact]
    public void Reading_answers_after_the_transformer_was_disposed_says_so()
    {
        var ml = new MLContext(seed: 1);
        var dev = ml.Data.LoadFromSquadExamples(fixture.Dev.Take(3).ToList());
        var transformer = ml.Transforms.BertQuestionAnswering(fixture.Teacher, fixture.Inference).Fit(dev);
        var scored = transformer.Transform(dev);
        transformer.Dispose();
        var error = Assert.Throws<ObjectDisposedException>(() => ml.Data.CreateEnumerable<Answer>(scored, reuseRowObject: false).ToList());
        Assert.Contains("before its answer columns were read", error.Message);
        Assert.Throws<ObjectDisposedException>(() => transformer.Transform(dev));
    }

    [Fact]
    public void A_scoring_that_failed_is_not_kept_the_next_read_scores_again()
    {
        var ml = new MLContext(seed: 1);
        var dev = new FailsOnce(ml.Data.LoadFromSquadExamples(fixture.Dev.Take(3).ToList()));
        using var transformer = ml.Transforms.BertQuestionAnswering(fixture.Teacher, fixture.Inference).Fit(dev);
        var scored = transformer.Transform(dev);
        Assert.Throws<IOException>(() => ml.Data.CreateEnumerable<Answer>(scored, reuseRowObject: false).ToList());
        Assert.Equal(3, ml.Data.CreateEnumerable<Answer>(scored, reuseRowObject: false).Count());
    }

    // A data view whose first cursor fails (a file that was briefly unreadable).
    private sealed class FailsOnce(IDataView inner) : IDataView
    {
        private int cursors;

        public bool CanShuffle => inner.CanShuffle;

        public DataViewSchema Schema => inner.Schema;

        public long? GetRowCount() => inner.GetRowCount();

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
            Interlocked.Increment(ref cursors) == 1 ? throw new IOException("briefly unreadable") : inner.GetRowCursor(columnsNeeded, rand);

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [GetRowCursor(columnsNeeded, rand)];
    }
}
