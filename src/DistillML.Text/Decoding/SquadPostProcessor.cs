using DistillML.Text.Features;
using DistillML.Text.Squad;

namespace DistillML.Text.Decoding;

/// <summary>
/// Decodes answers from start/end logits as Hugging Face's SQuAD post-processing does
/// (<c>postprocess_qa_predictions</c> in <c>run_qa.py</c>, <c>compute_predictions_logits</c> in <c>run_squad.py</c>):
/// in every window the <see cref="PostProcessingOptions.NBestSize"/> highest start and end positions are paired; a pair
/// is kept when both tokens are context tokens with a character offset, start &lt;= end and the span has at most
/// <see cref="PostProcessingOptions.MaxAnswerLength"/> tokens; spans of all windows are ranked by start+end logit.
/// The null score is the lowest start_logit[CLS] + end_logit[CLS] over the windows; in SQuAD 2.0 mode the answer is
/// "" when null score - best span score &gt; <see cref="PostProcessingOptions.NullScoreDiffThreshold"/>.
/// Answer text is sliced from the original context by the tokens' character offsets. Thread-safe.
/// </summary>
/// <remarks>
/// As in <c>run_qa.py</c>'s default, the legacy "max context" filter (keep a span only in the window where its start
/// token has the most context on both sides) is not applied; the best score over windows decides.
/// </remarks>
/// <example>
/// <code>
/// var post = new SquadPostProcessor();
/// SquadPrediction p = post.Predict(example, windows.Select((w, i) =&gt; new WindowLogits(w, start[i], end[i])).ToList());
/// </code>
/// </example>
public sealed class SquadPostProcessor
{
    readonly int _nBest, _maxAnswerLength;
    readonly bool _allowNoAnswer;
    readonly double _threshold;

    /// <summary>Creates a post-processor; the Hugging Face defaults when <paramref name="options"/> is null.</summary>
    /// <exception cref="ArgumentException">Invalid options.</exception>
    public SquadPostProcessor(PostProcessingOptions? options = null)
    {
        options ??= new PostProcessingOptions();
        options.Validate();
        _nBest = options.NBestSize;
        _maxAnswerLength = options.MaxAnswerLength;
        _allowNoAnswer = options.AllowNoAnswer;
        _threshold = options.NullScoreDiffThreshold;
    }

    /// <summary>Decodes one example from the logits of its windows.</summary>
    public SquadPrediction Predict(SquadExample example, IReadOnlyList<WindowLogits> windows)
    {
        ArgumentNullException.ThrowIfNull(example);
        return Predict(example.Id, example.Context, windows);
    }

    /// <summary>Decodes one question from the logits of its windows over <paramref name="context"/>.</summary>
    /// <exception cref="ArgumentException">No windows, a window of another question, or logits shorter than the window.</exception>
    public SquadPrediction Predict(string exampleId, string context, IReadOnlyList<WindowLogits> windows)
    {
        ArgumentNullException.ThrowIfNull(exampleId);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(windows);
        if (windows.Count == 0) throw new ArgumentException($"Question '{exampleId}' has no windows to decode.", nameof(windows));

        var spans = new List<ScoredSpan>(_nBest * 2);
        float nullScore = float.PositiveInfinity;
        Span<int> starts = stackalloc int[_nBest], ends = stackalloc int[_nBest];
        foreach (WindowLogits window in windows)
        {
            QaFeature f = window.Feature ?? throw new ArgumentException($"Question '{exampleId}': a window without its feature.", nameof(windows));
            if (f.ExampleId != exampleId)
                throw new ArgumentException($"Window {f.WindowIndex} of question '{f.ExampleId}' was given to decode question '{exampleId}'.", nameof(windows));
            ReadOnlySpan<float> startLogits = window.StartLogits.Span, endLogits = window.EndLogits.Span;
            if (startLogits.Length < f.SequenceLength || endLogits.Length < f.SequenceLength)
                throw new ArgumentException(
                    $"Question '{exampleId}', window {f.WindowIndex}: {startLogits.Length} start and {endLogits.Length} end logits for {f.SequenceLength} tokens.",
                    nameof(windows));

            nullScore = Math.Min(nullScore, startLogits[0] + endLogits[0]);
            int positions = Math.Min(f.TokenOffsets.Length, Math.Min(startLogits.Length, endLogits.Length));
            int ns = TopIndices.Select(startLogits[..positions], starts);
            int ne = TopIndices.Select(endLogits[..positions], ends);
            for (int i = 0; i < ns; i++)
            {
                int s = starts[i];
                if (f.TokenOffsets[s].IsNone) continue;        // not a context token: question, [CLS], [SEP], padding
                for (int j = 0; j < ne; j++)
                {
                    int e = ends[j];
                    if (f.TokenOffsets[e].IsNone || e < s || e - s + 1 > _maxAnswerLength) continue;
                    spans.Add(new ScoredSpan(f, s, e, startLogits[s], endLogits[e]));
                }
            }
        }

        spans.Sort((a, b) => b.Score.CompareTo(a.Score));
        int kept = Math.Min(_nBest, spans.Count);
        var nBest = new AnswerCandidate[kept];
        double max = kept > 0 ? spans[0].Score : 0, sum = 0;
        for (int i = 0; i < kept; i++) sum += Math.Exp(spans[i].Score - max);
        for (int i = 0; i < kept; i++)
        {
            ScoredSpan sp = spans[i];
            int from = sp.Feature.TokenOffsets[sp.Start].Start, to = sp.Feature.TokenOffsets[sp.End].End;
            if (to > context.Length)
                throw new ArgumentException($"Question '{exampleId}': token offsets reach past the context; was it featurized from another text?", nameof(context));
            nBest[i] = new AnswerCandidate(context[from..to], from, to, sp.Score, sp.StartLogit, sp.EndLogit,
                Math.Exp(sp.Score - max) / sum, sp.Feature.WindowIndex, sp.Start, sp.End);
        }

        double noAnswerProbability = kept == 0 ? 1.0 : 1.0 / (1.0 + Math.Exp(-((double)nullScore - nBest[0].Score)));
        bool noAnswer = kept == 0 || (_allowNoAnswer && (double)nullScore - nBest[0].Score > _threshold);
        return noAnswer
            ? new SquadPrediction(exampleId, "", -1, -1, nullScore, nullScore, noAnswerProbability, nBest)
            : new SquadPrediction(exampleId, nBest[0].Text, nBest[0].StartChar, nBest[0].EndChar, nBest[0].Score, nullScore, noAnswerProbability, nBest);
    }

    /// <summary>
    /// Decodes every example from the logits of all windows (in any order), matching windows to examples by
    /// <see cref="QaFeature.ExampleIndex"/> as <see cref="BertFeaturizer.Featurize(IEnumerable{SquadExample})"/> numbers them.
    /// </summary>
    /// <returns>Predictions by question id; an example without windows is an error.</returns>
    public IReadOnlyDictionary<string, SquadPrediction> PredictAll(IReadOnlyList<SquadExample> examples, IEnumerable<WindowLogits> windows)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(windows);
        var byExample = new List<WindowLogits>?[examples.Count];
        foreach (WindowLogits w in windows)
        {
            int index = w.Feature.ExampleIndex;
            if ((uint)index >= (uint)examples.Count)
                throw new ArgumentException($"Window of question '{w.Feature.ExampleId}' has example index {index}, outside the {examples.Count} examples.", nameof(windows));
            (byExample[index] ??= []).Add(w);
        }
        var predictions = new Dictionary<string, SquadPrediction>(examples.Count, StringComparer.Ordinal);
        for (int i = 0; i < examples.Count; i++)
        {
            SquadExample example = examples[i];
            List<WindowLogits> list = byExample[i] ?? throw new ArgumentException($"Question '{example.Id}' (example {i}) has no windows.", nameof(windows));
            predictions[example.Id] = Predict(example, list);
        }
        return predictions;
    }

    readonly record struct ScoredSpan(QaFeature Feature, int Start, int End, float StartLogit, float EndLogit)
    {
        public float Score => StartLogit + EndLogit;
    }
}
