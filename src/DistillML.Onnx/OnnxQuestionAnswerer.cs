using DistillML.Text.Decoding;
using DistillML.Text.Deployment;
using DistillML.Text.Features;
using DistillML.Text.Squad;
using Microsoft.ML.OnnxRuntime;

namespace DistillML.Onnx;

/// <summary>
/// Answers questions with an ONNX question-answering model exported by DistillML, on ONNX Runtime (no TorchSharp).
/// The featurizer settings come from the model's metadata and the vocabulary from <c>vocab.txt</c> beside the model
/// (its hash must match the metadata), so windows and span decoding are exactly those of training
/// (<see cref="BertFeaturizer"/>, <see cref="SquadPostProcessor"/>). One session is created at construction, on CUDA
/// when available (see <see cref="ExecutionProviderPreference"/>), and shared: every method is thread-safe.
/// </summary>
/// <example>
/// <code>
/// using var qa = new OnnxQuestionAnswerer("student.onnx");
/// QaAnswer a = qa.Answer("Who wrote it?", "It was written by Ada Lovelace in 1843.");
/// Console.WriteLine($"{a.Text} [{a.Start}, {a.End}) score {a.Score}, no-answer p {a.NoAnswerProbability:F2}");
/// </code>
/// </example>
public sealed class OnnxQuestionAnswerer : IDisposable
{
    private readonly InferenceSession session;
    private readonly WindowRunner runner;
    private readonly SquadPostProcessor postProcessor;

    /// <summary>Loads <paramref name="modelPath"/> and its vocabulary.</summary>
    /// <exception cref="FileNotFoundException">The model or the vocabulary does not exist.</exception>
    /// <exception cref="InvalidDataException">The model lacks DistillML metadata or its inputs/outputs, or the vocabulary's hash differs from the model's.</exception>
    public OnnxQuestionAnswerer(string modelPath, OnnxQuestionAnswererOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        options ??= new OnnxQuestionAnswererOptions();
        if (options.BatchSize < 1) throw new ArgumentException($"BatchSize must be at least 1, not {options.BatchSize}.", nameof(options));
        if (!File.Exists(modelPath)) throw new FileNotFoundException($"ONNX model '{modelPath}' does not exist.", modelPath);
        ModelPath = Path.GetFullPath(modelPath);
        VocabPath = Path.GetFullPath(options.VocabPath ?? Path.Combine(Path.GetDirectoryName(ModelPath)!, "vocab.txt"));
        if (!File.Exists(VocabPath))
            throw new FileNotFoundException($"Vocabulary '{VocabPath}' for model '{ModelPath}' does not exist; set OnnxQuestionAnswererOptions.VocabPath.", VocabPath);

        (session, ExecutionProvider) = SessionFactory.Create(ModelPath, options);
        try
        {
            Metadata = QaModelMetadata.FromDictionary(session.ModelMetadata.CustomMetadataMap, ModelPath);
            string hash = WordPieceVocabulary.Load(VocabPath).Hash();
            if (hash != Metadata.VocabHash)
                throw new InvalidDataException(
                    $"Vocabulary '{VocabPath}' (SHA-256 {hash}) is not the one model '{ModelPath}' was exported with " +
                    $"({QaModelMetadata.VocabHashKey} = {Metadata.VocabHash}).");
            foreach (var name in new[] { "input_ids", "attention_mask" })
                if (!session.InputMetadata.ContainsKey(name)) throw new InvalidDataException($"Model '{ModelPath}' has no input '{name}'.");
            foreach (var name in new[] { "start_logits", "end_logits" })
                if (!session.OutputMetadata.ContainsKey(name)) throw new InvalidDataException($"Model '{ModelPath}' has no output '{name}'.");
            Featurizer = BertFeaturizer.Create(Metadata.ToFeaturizerOptions(VocabPath));
            runner = new WindowRunner(session, session.InputMetadata.ContainsKey("token_type_ids"), options.BatchSize);
            postProcessor = new SquadPostProcessor(options.PostProcessing);
            options.Log?.Invoke($"Loaded {Metadata.Architecture} ({Metadata.ParameterCount:N0} parameters, {Metadata.WeightFormat}) from {ModelPath} on {ExecutionProvider}; " +
                $"windows of {Metadata.MaxSequenceLength} tokens, stride {Metadata.DocStride}, questions up to {Metadata.MaxQueryLength} tokens.");
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>The model file.</summary>
    public string ModelPath { get; }

    /// <summary>The vocabulary file.</summary>
    public string VocabPath { get; }

    /// <summary>The execution provider in use: <c>CUDAExecutionProvider</c> or <c>CPUExecutionProvider</c>.</summary>
    public string ExecutionProvider { get; }

    /// <summary>What the model file says about itself.</summary>
    public QaModelMetadata Metadata { get; }

    /// <summary>The featurizer built from the metadata (windows unpadded; batches are padded to their longest window).</summary>
    public BertFeaturizer Featurizer { get; }

    /// <summary>Answers one question.</summary>
    /// <exception cref="ArgumentException">The question or the context is empty.</exception>
    public QaAnswer Answer(string question, string context, CancellationToken cancellationToken = default) =>
        AnswerBatch([new QaQuestion(question, context)], cancellationToken)[0];

    /// <summary>Answers several questions, running their windows together; answers come in the order given.</summary>
    /// <exception cref="ArgumentException">A question or a context is null or empty (the message gives its index).</exception>
    public IReadOnlyList<QaAnswer> AnswerBatch(IReadOnlyList<QaQuestion> questions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(questions);
        var features = new List<QaFeature>();
        for (int i = 0; i < questions.Count; i++)
        {
            var q = questions[i] ?? throw new ArgumentException($"Question {i} is null.", nameof(questions));
            if (string.IsNullOrWhiteSpace(q.Question)) throw new ArgumentException($"Question {i}: the question is empty.", nameof(questions));
            if (string.IsNullOrWhiteSpace(q.Context)) throw new ArgumentException($"Question {i}: the context is empty.", nameof(questions));
            features.AddRange(Featurizer.Featurize(i.ToString(System.Globalization.CultureInfo.InvariantCulture), q.Question, q.Context, i));
        }
        using var logits = runner.Run(features, cancellationToken);
        var byQuestion = logits.Windows.GroupBy(w => w.Feature.ExampleIndex).ToDictionary(g => g.Key, g => g.ToList());
        var answers = new QaAnswer[questions.Count];
        for (int i = 0; i < questions.Count; i++)
        {
            var p = postProcessor.Predict(i.ToString(System.Globalization.CultureInfo.InvariantCulture), questions[i].Context, byQuestion[i]);
            answers[i] = new QaAnswer(p.Text, p.StartChar, p.EndChar, p.Score, p.NoAnswerProbability);
        }
        return answers;
    }

    /// <summary>Predictions for SQuAD examples by question id, with the full n-best lists (for evaluation and comparisons).</summary>
    public IReadOnlyDictionary<string, SquadPrediction> Predict(IReadOnlyList<SquadExample> examples, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var features = Featurizer.Featurize(examples).ToList();
        using var logits = runner.Run(features, cancellationToken);
        return postProcessor.PredictAll(examples, logits.Windows);
    }

    /// <summary>Start and end logits of featurized windows, in the order given (copied; cut to each window's length).</summary>
    public IReadOnlyList<WindowLogits> Logits(IReadOnlyList<QaFeature> features, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(features);
        using var logits = runner.Run(features, cancellationToken);
        return logits.Windows.Select(w => new WindowLogits(w.Feature, w.StartLogits.ToArray(), w.EndLogits.ToArray())).ToArray();
    }

    /// <summary>Releases the ONNX Runtime session.</summary>
    public void Dispose() => session.Dispose();
}
