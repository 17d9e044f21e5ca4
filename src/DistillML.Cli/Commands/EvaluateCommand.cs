using System.CommandLine;
using DistillML.Text.Features;
using DistillML.Text.Squad;
using DistillML.Torch.Modeling;
using DistillML.Torch.QuestionAnswering;
using Spectre.Console;

namespace DistillML.Cli.Commands;

/// <summary><c>distillml evaluate</c>: the official SQuAD metric of a checkpoint on a SQuAD file.</summary>
internal static class EvaluateCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "Checkpoint directory (config.json, model.safetensors, vocab.txt).", Required = true };
        var data = new Option<FileInfo>("--data") { Description = "SQuAD 1.1 or 2.0 JSON file (.json or .json.gz).", Required = true };
        var seq = new Option<int>("--seq") { Description = "Window length in tokens.", DefaultValueFactory = _ => 384 };
        var stride = new Option<int>("--stride") { Description = "Overlap of consecutive windows in tokens.", DefaultValueFactory = _ => 128 };
        var limit = new Option<int?>("--limit") { Description = "Evaluate only the first N questions." };
        var command = new Command("evaluate", "Score a checkpoint with the official SQuAD metric (v2.0 rules when the file has unanswerable questions).")
        {
            model, data, seq, stride, limit,
        };
        command.SetAction(parse =>
        {
            string dir = parse.GetValue(model)!.FullName;
            string vocab = Path.Combine(dir, "vocab.txt");
            if (!File.Exists(vocab))
            {
                console.MarkupLineInterpolated($"[red]{vocab} not found: the checkpoint needs its vocabulary.[/]");
                return 2;
            }
            using var cancel = new CancelOnCtrlC();
            IReadOnlyList<SquadExample> examples = SquadDataset.Load(parse.GetValue(data)!.FullName);
            if (parse.GetValue(limit) is { } n) examples = examples.Take(n).ToList();
            using var qa = BertQaModel.Load(dir);
            qa.Precision = PrecisionDefaults.Resolve(null, qa.Device);
            var featurizer = BertFeaturizer.Create(new FeaturizerOptions { VocabPath = vocab, MaxSequenceLength = parse.GetValue(seq), DocStride = parse.GetValue(stride) });
            var metrics = console.Status().Start($"Answering {examples.Count:N0} questions...",
                _ => new BertQaPredictor(qa, featurizer, batchSize: 64).Evaluate(examples, cancel.Token));
            var table = new Table().AddColumns("metric", "value");
            foreach (var (key, value) in metrics.ToOfficialDictionary()) table.AddRow(key, value.ToString("F2"));
            console.Write(table);
            return 0;
        });
        return command;
    }
}
