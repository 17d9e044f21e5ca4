using System.CommandLine;
using DistillML.Deployment;
using DistillML.Text.Features;
using DistillML.Text.Squad;
using DistillML.Torch.Modeling;
using DistillML.Torch.OnnxExport;
using Spectre.Console;

namespace DistillML.Cli.Commands;

/// <summary>
/// <c>distillml quantize</c>: exports a checkpoint as int8 ONNX with the recipe <see cref="Int8RecipeSearch"/> finds
/// on calibration questions (plain dynamic int8 when it is within the loss budget, else the most sensitive linear
/// layers kept float32), and prints what each variant measured.
/// </summary>
internal static class QuantizeCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "Checkpoint directory (config.json, model.safetensors, vocab.txt).", Required = true };
        var data = new Option<FileInfo>("--data") { Description = "SQuAD file of calibration questions, e.g. train-v1.1.json (not the dev set you report on).", Required = true };
        var sample = new Option<int>("--sample") { Description = "Calibration questions, evenly spread over --data.", DefaultValueFactory = _ => 500 };
        var output = new Option<FileInfo>("--out") { Description = "The int8 .onnx file to write (vocab.txt beside it).", Required = true };
        var maxLoss = new Option<double>("--max-loss") { Description = "Accepted F1 loss against float32 on the calibration questions.", DefaultValueFactory = _ => 0.5 };
        var maxSize = new Option<double>("--max-size") { Description = "Largest int8 file as a fraction of the float32 file.", DefaultValueFactory = _ => 1.0 / 3 };
        var seq = new Option<int?>("--seq") { Description = "Window length (default: distillml.json's, else 384)." };
        var stride = new Option<int?>("--stride") { Description = "Window overlap (default: distillml.json's, else 128)." };
        var command = new Command("quantize", "Export int8 ONNX with per-layer sensitivity: keep float32 only the layers whose quantisation costs the most F1 per byte.")
        {
            model, data, sample, output, maxLoss, maxSize, seq, stride,
        };
        command.SetAction(parse =>
        {
            string dir = parse.GetValue(model)!.FullName;
            string vocab = Path.Combine(dir, "vocab.txt");
            if (!File.Exists(vocab)) throw new FileNotFoundException($"{vocab} not found: the checkpoint needs its vocabulary.", vocab);
            if (parse.GetValue(sample) < 1) throw new ArgumentException($"--sample must be at least 1, not {parse.GetValue(sample)}.");
            var manifest = QaManifest.Read(dir);
            var featurizer = QaManifest.FeaturizerFor(manifest, vocab, parse.GetValue(seq), parse.GetValue(stride));
            featurizer.Validate();
            using var cancel = new CancelOnCtrlC();
            using var qa = BertQaModel.Load(dir);
            var questions = SquadSampling.EvenlySpread(SquadDataset.Load(parse.GetValue(data)!.FullName), parse.GetValue(sample));
            string target = parse.GetValue(output)!.FullName;
            string work = Path.Combine(Path.GetDirectoryName(target)!, $".quantize-{Environment.ProcessId}");
            try
            {
                var result = Int8RecipeSearch.Run(qa, questions, work, new Int8RecipeSearchOptions
                {
                    MaxF1Loss = parse.GetValue(maxLoss), MaxSizeFraction = parse.GetValue(maxSize), Featurizer = featurizer,
                }, line => console.MarkupLineInterpolated($"  {line}"), cancel.Token);
                var table = new Table().AddColumns("variant", "F1", "loss", "MB", "% of fp32");
                table.AddRow("float32", result.Float32F1.ToString("F2"), "", result.Float32Megabytes.ToString("F1"), "100");
                foreach (var v in result.Variants)
                    table.AddRow(Markup.Escape(v.Description) + (v == result.Chosen ? " [green](chosen)[/]" : ""), v.F1.ToString("F2"),
                        (result.Float32F1 - v.F1).ToString("F2"), v.Megabytes.ToString("F1"), (100 * v.Megabytes / result.Float32Megabytes).ToString("F0"));
                console.Write(table);
                var written = qa.ExportOnnx(target, result.ToExportOptions(featurizer));
                console.MarkupLineInterpolated($"Wrote [bold]{written.Path}[/] ({written.FileBytes / 1e6:F1} MB, {result.Chosen.Float32Layers.Count} layers float32, embeddings {(result.Chosen.QuantizeEmbeddings ? "int8" : "float32")}).");
            }
            finally
            {
                if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
            }
            return 0;
        });
        return command;
    }
}
