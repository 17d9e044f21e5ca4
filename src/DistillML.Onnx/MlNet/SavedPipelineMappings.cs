using DistillML.Text.Squad;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace DistillML.Onnx.MlNet;

// The custom mappings of the pipeline OnnxQaPipeline.CreateEstimator builds. ML.NET saves a CustomMapping as its contract
// name and creates the factory below, by that name, with no arguments when the model is loaded; everything a mapping
// needs beyond its row comes from the spec column (QaPipelineSpec). ML.NET also drops the output schema definition of a
// CustomMapping when it saves it, so the window vectors' sizes must be compile-time constants ([VectorType]): hence one
// output type per supported window length, each holding QaWindowGeometry.Windows windows.

/// <summary>Column names of the saved question-answering pipeline.</summary>
public static class QaPipelineColumns
{
    /// <summary>The question (text), as <c>LoadFromSquadJson</c> names it.</summary>
    public const string Question = SquadColumnNames.Question;
    /// <summary>The paragraph (text), as <c>LoadFromSquadJson</c> names it.</summary>
    public const string Context = SquadColumnNames.Context;
    /// <summary>Intermediate: the constant key the spec is looked up by.</summary>
    public const string SpecKey = "DistillMLQaSpecKey";
    /// <summary>Intermediate: the featurizer and decoder spec (text).</summary>
    public const string Spec = "DistillMLQaSpec";
    /// <summary>Output: the predicted answer (text; "" for no answer).</summary>
    public const string PredictedAnswer = "PredictedAnswer";
    /// <summary>Output: the answer's score, start + end logit (Single).</summary>
    public const string Score = "Score";
    /// <summary>Output: the probability that the question has no answer in the context (Single).</summary>
    public const string NoAnswerProbability = "NoAnswerProbability";
}

/// <summary>The window budget of the saved pipeline: how many windows of a question it scores, at which lengths.</summary>
public static class QaWindowGeometry
{
    /// <summary>
    /// Windows scored per question. ONNX Runtime in ML.NET scores a fixed-size tensor per row, so every question costs
    /// this many windows, padding included; a context longer than this many windows is answered from its first ones.
    /// </summary>
    public const int Windows = 4;

    /// <summary>Window lengths (<c>max_seq_length</c>) the saved pipeline supports.</summary>
    public static IReadOnlyList<int> SupportedLengths { get; } = [128, 256, 384, 512];

    internal static IEstimator<ITransformer> Featurize(MLContext ml, int length) => length switch
    {
        128 => ml.Transforms.CustomMapping(new QaFeaturize128().GetMapping(), QaFeaturize128.ContractName),
        256 => ml.Transforms.CustomMapping(new QaFeaturize256().GetMapping(), QaFeaturize256.ContractName),
        384 => ml.Transforms.CustomMapping(new QaFeaturize384().GetMapping(), QaFeaturize384.ContractName),
        512 => ml.Transforms.CustomMapping(new QaFeaturize512().GetMapping(), QaFeaturize512.ContractName),
        _ => throw new NotSupportedException(
            $"The saved ML.NET pipeline supports windows of {string.Join(", ", SupportedLengths)} tokens, not {length}; use OnnxQuestionAnswerer or OnnxQaPipeline.Predict for this model."),
    };
}

/// <summary>Input of the spec-key mapping.</summary>
public sealed class QaSpecKeyInput
{
    /// <summary>The question (only read so the mapping has an input).</summary>
    [ColumnName(QaPipelineColumns.Question)]
    public string Question { get; set; } = "";
}

/// <summary>Output of the spec-key mapping.</summary>
public sealed class QaSpecKeyOutput
{
    /// <summary>The key of the spec in the pipeline's lookup table.</summary>
    [ColumnName(QaPipelineColumns.SpecKey)]
    public string SpecKey { get; set; } = "";
}

/// <summary>Gives every row the constant key by which <c>MapValue</c> finds the pipeline's spec. Created by ML.NET.</summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class QaSpecKey : CustomMappingFactory<QaSpecKeyInput, QaSpecKeyOutput>
{
    /// <summary>The contract name saved in the model.</summary>
    public const string ContractName = "DistillML.QaSpecKey";

    /// <summary>The one key value.</summary>
    public const string Key = "spec";

    /// <inheritdoc />
    public override Action<QaSpecKeyInput, QaSpecKeyOutput> GetMapping() => (_, dst) => dst.SpecKey = Key;
}

/// <summary>Input of the featurizing mapping: a question, its paragraph and the spec.</summary>
public sealed class QaQuestionInput
{
    /// <summary>The question.</summary>
    [ColumnName(QaPipelineColumns.Question)]
    public string Question { get; set; } = "";

    /// <summary>The paragraph.</summary>
    [ColumnName(QaPipelineColumns.Context)]
    public string Context { get; set; } = "";

    /// <summary>The spec (see the pipeline's lookup table).</summary>
    [ColumnName(QaPipelineColumns.Spec)]
    public ReadOnlyMemory<char> Spec { get; set; }
}

/// <summary>The model inputs of a question's windows, flattened window after window.</summary>
public interface IQaWindowBlock
{
    /// <summary>WordPiece ids.</summary>
    long[] InputIds { get; set; }
    /// <summary>1 for real tokens, 0 for padding and for unused windows.</summary>
    long[] AttentionMask { get; set; }
    /// <summary>Segment ids.</summary>
    long[] TokenTypeIds { get; set; }
}

/// <summary>Featurizing: a question's first <see cref="QaWindowGeometry.Windows"/> windows, the rest zero.</summary>
public static class QaFeaturizing
{
    /// <summary>Fills <paramref name="dst"/> from <paramref name="src"/>.</summary>
    public static void Map<TBlock>(QaQuestionInput src, TBlock dst) where TBlock : IQaWindowBlock
    {
        var spec = QaPipelineSpec.Read(src.Spec);
        int length = spec.MaxSequenceLength, size = spec.Windows * length;
        // New arrays per row: ML.NET may keep a reference to the previous row's values.
        long[] ids = new long[size], mask = new long[size], types = new long[size];
        var windows = spec.WindowsOf(src.Question, src.Context);
        for (int w = 0; w < windows.Count; w++)
        {
            var f = windows[w];
            Array.Copy(f.InputIds, 0, ids, w * length, length);
            Array.Copy(f.AttentionMask, 0, mask, w * length, length);
            Array.Copy(f.TokenTypeIds, 0, types, w * length, length);
        }
        dst.InputIds = ids;
        dst.AttentionMask = mask;
        dst.TokenTypeIds = types;
    }
}

/// <summary>Windows of 128 tokens.</summary>
public sealed class QaWindows128 : IQaWindowBlock
{
    /// <inheritdoc />
    [ColumnName("input_ids"), VectorType(QaWindowGeometry.Windows * 128)] public long[] InputIds { get; set; } = [];
    /// <inheritdoc />
    [ColumnName("attention_mask"), VectorType(QaWindowGeometry.Windows * 128)] public long[] AttentionMask { get; set; } = [];
    /// <inheritdoc />
    [ColumnName("token_type_ids"), VectorType(QaWindowGeometry.Windows * 128)] public long[] TokenTypeIds { get; set; } = [];
}

/// <summary>Windows of 256 tokens.</summary>
public sealed class QaWindows256 : IQaWindowBlock
{
    /// <inheritdoc />
    [ColumnName("input_ids"), VectorType(QaWindowGeometry.Windows * 256)] public long[] InputIds { get; set; } = [];
    /// <inheritdoc />
    [ColumnName("attention_mask"), VectorType(QaWindowGeometry.Windows * 256)] public long[] AttentionMask { get; set; } = [];
    /// <inheritdoc />
    [ColumnName("token_type_ids"), VectorType(QaWindowGeometry.Windows * 256)] public long[] TokenTypeIds { get; set; } = [];
}

/// <summary>Windows of 384 tokens.</summary>
public sealed class QaWindows384 : IQaWindowBlock
{
    /// <inheritdoc />
    [ColumnName("input_ids"), VectorType(QaWindowGeometry.Windows * 384)] public long[] InputIds { get; set; } = [];
    /// <inheritdoc />
    [ColumnName("attention_mask"), VectorType(QaWindowGeometry.Windows * 384)] public long[] AttentionMask { get; set; } = [];
    /// <inheritdoc />
    [ColumnName("token_type_ids"), VectorType(QaWindowGeometry.Windows * 384)] public long[] TokenTypeIds { get; set; } = [];
}

/// <summary>Windows of 512 tokens.</summary>
public sealed class QaWindows512 : IQaWindowBlock
{
    /// <inheritdoc />
    [ColumnName("input_ids"), VectorType(QaWindowGeometry.Windows * 512)] public long[] InputIds { get; set; } = [];
    /// <inheritdoc />
    [ColumnName("attention_mask"), VectorType(QaWindowGeometry.Windows * 512)] public long[] AttentionMask { get; set; } = [];
    /// <inheritdoc />
    [ColumnName("token_type_ids"), VectorType(QaWindowGeometry.Windows * 512)] public long[] TokenTypeIds { get; set; } = [];
}

/// <summary>Featurizes into 128-token windows. Created by ML.NET.</summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class QaFeaturize128 : CustomMappingFactory<QaQuestionInput, QaWindows128>
{
    /// <summary>The contract name saved in the model.</summary>
    public const string ContractName = "DistillML.QaFeaturize.128";
    /// <inheritdoc />
    public override Action<QaQuestionInput, QaWindows128> GetMapping() => QaFeaturizing.Map;
}

/// <summary>Featurizes into 256-token windows. Created by ML.NET.</summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class QaFeaturize256 : CustomMappingFactory<QaQuestionInput, QaWindows256>
{
    /// <summary>The contract name saved in the model.</summary>
    public const string ContractName = "DistillML.QaFeaturize.256";
    /// <inheritdoc />
    public override Action<QaQuestionInput, QaWindows256> GetMapping() => QaFeaturizing.Map;
}

/// <summary>Featurizes into 384-token windows. Created by ML.NET.</summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class QaFeaturize384 : CustomMappingFactory<QaQuestionInput, QaWindows384>
{
    /// <summary>The contract name saved in the model.</summary>
    public const string ContractName = "DistillML.QaFeaturize.384";
    /// <inheritdoc />
    public override Action<QaQuestionInput, QaWindows384> GetMapping() => QaFeaturizing.Map;
}

/// <summary>Featurizes into 512-token windows. Created by ML.NET.</summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class QaFeaturize512 : CustomMappingFactory<QaQuestionInput, QaWindows512>
{
    /// <summary>The contract name saved in the model.</summary>
    public const string ContractName = "DistillML.QaFeaturize.512";
    /// <inheritdoc />
    public override Action<QaQuestionInput, QaWindows512> GetMapping() => QaFeaturizing.Map;
}

/// <summary>Input of the decoding mapping: the question, paragraph, spec and the model's logits for its windows.</summary>
public sealed class QaScoredInput
{
    /// <summary>The question.</summary>
    [ColumnName(QaPipelineColumns.Question)]
    public string Question { get; set; } = "";

    /// <summary>The paragraph.</summary>
    [ColumnName(QaPipelineColumns.Context)]
    public string Context { get; set; } = "";

    /// <summary>The spec.</summary>
    [ColumnName(QaPipelineColumns.Spec)]
    public ReadOnlyMemory<char> Spec { get; set; }

    /// <summary>Start logits of every window, window after window.</summary>
    [ColumnName("start_logits")]
    public float[] StartLogits { get; set; } = [];

    /// <summary>End logits of every window, window after window.</summary>
    [ColumnName("end_logits")]
    public float[] EndLogits { get; set; } = [];
}

/// <summary>Output of the decoding mapping, the columns <c>mlContext.QuestionAnswering().Evaluate</c> reads.</summary>
public sealed class QaAnswerOutput
{
    /// <summary>The answer ("" for no answer).</summary>
    [ColumnName(QaPipelineColumns.PredictedAnswer)]
    public string PredictedAnswer { get; set; } = "";

    /// <summary>Start + end logit of the answer (of the null answer when there is none).</summary>
    [ColumnName(QaPipelineColumns.Score)]
    public float Score { get; set; }

    /// <summary>Probability that the paragraph does not answer the question.</summary>
    [ColumnName(QaPipelineColumns.NoAnswerProbability)]
    public float NoAnswerProbability { get; set; }
}

/// <summary>Decodes a question's answer from the logits of its windows. Created by ML.NET.</summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class QaDecode : CustomMappingFactory<QaScoredInput, QaAnswerOutput>
{
    /// <summary>The contract name saved in the model.</summary>
    public const string ContractName = "DistillML.QaDecode";

    /// <inheritdoc />
    public override Action<QaScoredInput, QaAnswerOutput> GetMapping() => Map;

    static void Map(QaScoredInput src, QaAnswerOutput dst)
    {
        var spec = QaPipelineSpec.Read(src.Spec);
        int length = spec.MaxSequenceLength;
        var windows = spec.WindowsOf(src.Question, src.Context);
        if (src.StartLogits.Length < windows.Count * length || src.EndLogits.Length < windows.Count * length)
            throw new InvalidOperationException(
                $"The model gave {src.StartLogits.Length} start and {src.EndLogits.Length} end logits for {windows.Count} windows of {length} tokens.");
        var logits = windows.Select((f, w) => new Text.Decoding.WindowLogits(f,
            src.StartLogits.AsMemory(w * length, length), src.EndLogits.AsMemory(w * length, length))).ToList();
        var prediction = spec.PostProcessor.Predict(QaPipelineSpec.RowId, src.Context, logits);
        dst.PredictedAnswer = prediction.Text;
        dst.Score = (float)prediction.Score;
        dst.NoAnswerProbability = (float)prediction.NoAnswerProbability;
    }
}
