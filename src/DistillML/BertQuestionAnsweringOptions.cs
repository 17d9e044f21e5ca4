using DistillML.Text.Decoding;
using DistillML.Text.Features;

namespace DistillML;

/// <summary>
/// Settings of question-answering inference (<c>mlContext.Transforms.BertQuestionAnswering</c>), also used by the
/// distilled student: columns, windows, decoding. Window defaults are the Hugging Face SQuAD recipe's.
/// </summary>
public class BertQuestionAnsweringOptions : QaColumnOptions
{
    /// <summary>Tokens per window ([CLS], [SEP]s included). Default 384.</summary>
    public int MaxSequenceLength { get; set; } = 384;
    /// <summary>Context tokens shared by consecutive windows (Hugging Face's <c>doc_stride</c>). Default 128.</summary>
    public int DocStride { get; set; } = 128;
    /// <summary>Questions are cut to this many tokens. Default 64.</summary>
    public int MaxQueryLength { get; set; } = 64;
    /// <summary>Windows per inference batch. Default 64.</summary>
    public int InferenceBatchSize { get; set; } = 64;
    /// <summary>
    /// Predict "" (no answer) when the null score wins (SQuAD 2.0). Null decides from the data: on when a training
    /// question was unanswerable (distillation), off for plain inference.
    /// </summary>
    public bool? AllowNoAnswer { get; set; }
    /// <summary>"No answer" wins when null score - best span score exceeds this (only with <see cref="AllowNoAnswer"/>). Default 0.</summary>
    public double NullScoreDiffThreshold { get; set; }
    /// <summary>Longest answer, in tokens. Default 30.</summary>
    public int MaxAnswerLength { get; set; } = 30;
    /// <summary>"cpu", "cuda", "cuda:1", or null for CUDA when torch sees it, else CPU.</summary>
    public string? Device { get; set; }

    internal FeaturizerOptions Featurizer(string vocabularyPath) => new()
    {
        VocabPath = vocabularyPath, MaxSequenceLength = MaxSequenceLength, DocStride = DocStride, MaxQueryLength = MaxQueryLength, PadToMaxLength = false,
    };

    internal PostProcessingOptions PostProcessing(bool allowNoAnswer) => new()
    {
        AllowNoAnswer = allowNoAnswer, NullScoreDiffThreshold = NullScoreDiffThreshold, MaxAnswerLength = MaxAnswerLength,
    };

    internal virtual void Validate()
    {
        foreach (var (name, value) in new[] { (nameof(IdColumnName), IdColumnName), (nameof(ContextColumnName), ContextColumnName), (nameof(QuestionColumnName), QuestionColumnName),
            (nameof(PredictedAnswerColumnName), PredictedAnswerColumnName), (nameof(ScoreColumnName), ScoreColumnName), (nameof(NoAnswerProbabilityColumnName), NoAnswerProbabilityColumnName) })
            if (string.IsNullOrWhiteSpace(value)) throw new ArgumentException($"{name} must name a column.", name);
        if (InferenceBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(InferenceBatchSize), InferenceBatchSize, "must be >= 1");
        new FeaturizerOptions { MaxSequenceLength = MaxSequenceLength, DocStride = DocStride, MaxQueryLength = MaxQueryLength }.Validate();
        PostProcessing(true).Validate();
    }
}
