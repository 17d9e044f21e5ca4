using System.CommandLine;
using DistillML.Text.Features;
using DistillML.Torch.Modeling;
using DistillML.Torch.OnnxExport;
using Spectre.Console;

namespace DistillML.Cli.Commands;

/// <summary><c>distillml export</c>: a checkpoint to an ONNX file (fp32, fp16 weights, or dynamic int8) with its vocabulary beside it.</summary>
internal static class ExportCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "Checkpoint directory (config.json, model.safetensors, vocab.txt).", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "The .onnx file to write (vocab.txt is written beside it).", Required = true };
        var format = new Option<OnnxWeightFormat>("--format") { Description = "Weights: Float32, Float16 or Int8.", DefaultValueFactory = _ => OnnxWeightFormat.Float32 };
        var seq = new Option<int?>("--seq") { Description = "Window length the featurizer of the deployed model uses (default: distillml.json's, else 384)." };
        var stride = new Option<int?>("--stride") { Description = "Window overlap the deployed featurizer uses (default: distillml.json's, else 128)." };
        var floatEmbeddings = new Option<bool>("--float32-embeddings") { Description = "With --format Int8: keep the word embeddings float32 (larger file, no embedding rounding)." };
        var fused = new Option<bool>("--ort-fused") { Description = "Write ONNX Runtime's fused transformer operators (Attention, SkipLayerNormalization, BiasGelu, EmbedLayerNormalization; QAttention with Int8): faster in ONNX Runtime, runs only there." };
        var command = new Command("export", "Export a checkpoint to ONNX for ONNX Runtime (featurizer settings and vocabulary hash go into the metadata).")
        {
            model, output, format, seq, stride, floatEmbeddings, fused,
        };
        command.SetAction(parse =>
        {
            string dir = parse.GetValue(model)!.FullName;
            using var qa = BertQaModel.Load(dir);
            string vocab = Path.Combine(dir, "vocab.txt");
            var manifest = QaManifest.Read(dir);
            var result = qa.ExportOnnx(parse.GetValue(output)!.FullName, new OnnxExportOptions
            {
                WeightFormat = parse.GetValue(format), QuantizeEmbeddings = !parse.GetValue(floatEmbeddings), OrtFusedOperators = parse.GetValue(fused),
                VocabularyPath = File.Exists(vocab) ? vocab : null,
                Featurizer = QaManifest.FeaturizerFor(manifest, File.Exists(vocab) ? vocab : null, parse.GetValue(seq), parse.GetValue(stride)),
            });
            console.MarkupLineInterpolated($"Wrote [bold]{result.Path}[/] ({result.FileBytes / 1e6:F1} MB, {parse.GetValue(format)}{(parse.GetValue(fused) ? ", ONNX Runtime fused operators" : "")}, {qa.ParameterCount:N0} parameters).");
            return 0;
        });
        return command;
    }
}
