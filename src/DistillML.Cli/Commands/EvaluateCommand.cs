using System.CommandLine;
using System.Text.Json;
using DistillML.Onnx;
using DistillML.Text.Decoding;
using DistillML.Text.Features;
using DistillML.Text.Squad;
using DistillML.Torch.Modeling;
using DistillML.Torch.QuestionAnswering;
using Spectre.Console;

namespace DistillML.Cli.Commands;

/// <summary>
/// <c>distillml evaluate</c>: the official SQuAD metric of a checkpoint directory or an exported ONNX model on a SQuAD
/// file, with the windows the model was trained with (distillml.json or the ONNX metadata) unless overridden, and the
/// prediction files the official evaluate-v1.1.py / evaluate-v2.0.py scripts read.
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var model = new Option<FileSystemInfo>("--model") { Description = "Checkpoint directory (config.json, model.safetensors, vocab.txt) or an exported .onnx file (vocab.txt beside it).", Required = true };
        var data = new Option<FileInfo>("--data") { Description = "SQuAD 1.1 or 2.0 JSON file (.json or .json.gz).", Required = true };
        var seq = new Option<int?>("--seq") { Description = "Window length in tokens (checkpoints only; default: distillml.json's, else 384)." };
        var stride = new Option<int?>("--stride") { Description = "Overlap of consecutive windows in tokens (checkpoints only; default: distillml.json's, else 128)." };
        var limit = new Option<int?>("--limit") { Description = "Evaluate only the first N questions." };
        var sample = new Option<int?>("--sample") { Description = "Evaluate N questions evenly spread over the file (as sweeps score students)." };
        var predictions = new Option<FileInfo?>("--predictions") { Description = "Write {question id: answer} for the official evaluate script." };
        var naProbs = new Option<FileInfo?>("--na-probs") { Description = "Write {question id: no-answer probability} (evaluate-v2.0.py --na-prob-file)." };
        var nbest = new Option<FileInfo?>("--nbest") { Description = "Write the n-best spans per question as Hugging Face's run_squad does ({id: [{text, probability, start_logit, end_logit}]})." };
        var command = new Command("evaluate", "Score a checkpoint or an ONNX model with the official SQuAD metric (v2.0 rules when the file has unanswerable questions).")
        {
            model, data, seq, stride, limit, sample, predictions, naProbs, nbest,
        };
        command.SetAction(parse =>
        {
            var source = parse.GetValue(model)!;
            bool onnx = source.FullName.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase);
            if (onnx && (parse.GetValue(seq) is not null || parse.GetValue(stride) is not null))
                throw new ArgumentException("--seq and --stride apply to checkpoints; an ONNX model is evaluated with the windows in its metadata.");
            if (parse.GetValue(limit) is not null && parse.GetValue(sample) is not null)
                throw new ArgumentException("Give --limit or --sample, not both.");
            if (parse.GetValue(limit) is < 1 || parse.GetValue(sample) is < 1) throw new ArgumentException("--limit and --sample must be at least 1.");
            string vocab = onnx ? Path.Combine(Path.GetDirectoryName(source.FullName)!, "vocab.txt") : Path.Combine(source.FullName, "vocab.txt");
            if (!onnx && !File.Exists(vocab)) throw new FileNotFoundException($"{vocab} not found: the checkpoint needs its vocabulary.", vocab);

            using var cancel = new CancelOnCtrlC();
            IReadOnlyList<SquadExample> examples = SquadDataset.Load(parse.GetValue(data)!.FullName);
            if (parse.GetValue(limit) is { } n) examples = examples.Take(n).ToList();
            if (parse.GetValue(sample) is { } s) examples = SquadSampling.EvenlySpread(examples, s);
            var decoding = new PostProcessingOptions { AllowNoAnswer = examples.Any(e => e.IsImpossible) };
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var predicted = onnx
                ? PredictOnnx(console, source.FullName, decoding, examples, cancel.Token)
                : PredictCheckpoint(console, source.FullName, vocab, parse.GetValue(seq), parse.GetValue(stride), decoding, examples, cancel.Token);
            console.MarkupLineInterpolated($"{examples.Count:N0} questions in {clock.Elapsed.TotalSeconds:F1} s ({examples.Count / clock.Elapsed.TotalSeconds:F1} questions/s, model loading included; load average {Torch.TorchThreads.LoadAverage():F2}).");

            var metrics = SquadMetric.EvaluatePredictions(examples, predicted);
            var table = new Table().AddColumns("metric", "value");
            foreach (var (key, value) in metrics.ToOfficialDictionary()) table.AddRow(key, value.ToString("F2"));
            console.Write(table);
            if (parse.GetValue(predictions) is { } file) WriteJson(console, file.FullName, predicted.ToDictionary(p => p.Key, p => p.Value.Text));
            if (parse.GetValue(naProbs) is { } probs) WriteJson(console, probs.FullName, predicted.ToDictionary(p => p.Key, p => p.Value.NoAnswerProbability));
            if (parse.GetValue(nbest) is { } nbestFile)
                WriteJson(console, nbestFile.FullName, predicted.ToDictionary(p => p.Key, p => p.Value.NBest.Select(c => new NBestEntry(c.Text, c.Probability, c.StartLogit, c.EndLogit)).ToList()));
            return 0;
        });
        return command;
    }

    private static IReadOnlyDictionary<string, SquadPrediction> PredictOnnx(IAnsiConsole console, string path, PostProcessingOptions decoding,
        IReadOnlyList<SquadExample> examples, CancellationToken cancellationToken)
    {
        using var qa = new OnnxQuestionAnswerer(path, new OnnxQuestionAnswererOptions { PostProcessing = decoding, BatchSize = 32 });
        var m = qa.Metadata;
        console.MarkupLineInterpolated($"{path}: {m.Architecture}, {m.ParameterCount:N0} parameters, {m.WeightFormat} weights, windows of {m.MaxSequenceLength} (stride {m.DocStride}), {qa.ExecutionProvider}");
        return console.Status().Start($"Answering {examples.Count:N0} questions...", _ => qa.Predict(examples, cancellationToken));
    }

    private static IReadOnlyDictionary<string, SquadPrediction> PredictCheckpoint(IAnsiConsole console, string directory, string vocab, int? seq, int? stride,
        PostProcessingOptions decoding, IReadOnlyList<SquadExample> examples, CancellationToken cancellationToken)
    {
        var manifest = QaManifest.Read(directory);
        using var qa = BertQaModel.Load(directory);
        qa.Precision = PrecisionDefaults.Resolve(null, qa.Device);
        var options = QaManifest.FeaturizerFor(manifest, vocab, seq, stride);
        if (options.MaxSequenceLength > qa.Config.MaxPositionEmbeddings)
            throw new ArgumentException($"--seq {options.MaxSequenceLength} is longer than the model's {qa.Config.MaxPositionEmbeddings} positions (max_position_embeddings in {Path.Combine(directory, "config.json")}).");
        var featurizer = BertFeaturizer.Create(options);
        console.MarkupLineInterpolated($"{directory}: {qa.ParameterCount:N0} parameters, windows of {options.MaxSequenceLength} (stride {options.DocStride}){(manifest is null ? "" : ", from distillml.json")}, {qa.Precision}");
        return console.Status().Start($"Answering {examples.Count:N0} questions...",
            _ => new BertQaPredictor(qa, featurizer, decoding, batchSize: 64).Predict(examples, cancellationToken));
    }

    /// <summary>One n-best entry in run_squad's nbest_predictions.json field names.</summary>
    private sealed record NBestEntry(
        [property: System.Text.Json.Serialization.JsonPropertyName("text")] string Text,
        [property: System.Text.Json.Serialization.JsonPropertyName("probability")] double Probability,
        [property: System.Text.Json.Serialization.JsonPropertyName("start_logit")] float StartLogit,
        [property: System.Text.Json.Serialization.JsonPropertyName("end_logit")] float EndLogit);

    /// <summary>Writes <paramref name="values"/> as one JSON object, through a temporary file renamed into place.</summary>
    private static void WriteJson<T>(IAnsiConsole console, string path, IReadOnlyDictionary<string, T> values)
    {
        string temp = path + $".tmp-{Environment.ProcessId}";
        try
        {
            File.WriteAllText(temp, JsonSerializer.Serialize(values));
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        console.MarkupLineInterpolated($"wrote {path}");
    }
}
