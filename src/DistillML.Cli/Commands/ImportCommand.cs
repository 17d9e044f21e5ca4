using System.CommandLine;
using DistillML.Torch.Checkpoints;
using Spectre.Console;

namespace DistillML.Cli.Commands;

/// <summary><c>distillml import</c>: a BERT-family encoder exported to ONNX becomes a Hugging Face checkpoint.</summary>
internal static class ImportCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var onnx = new Option<FileInfo>("--onnx") { Description = "The ONNX file (a PyTorch / Optimum export of a BERT or DistilBERT encoder or QA model, or one this project exported).", Required = true };
        var vocab = new Option<FileInfo>("--vocab") { Description = "Its vocab.txt (line ends \\r\\n or \\n).", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Checkpoint directory to write (config.json, model.safetensors, vocab.txt, tokenizer_config.json).", Required = true };
        var cased = new Option<bool>("--cased") { Description = "The vocabulary is cased (do_lower_case = false)." };
        var command = new Command("import", "Import an ONNX encoder as a Hugging Face checkpoint, reading its architecture from the graph.") { onnx, vocab, output, cased };
        command.SetAction(parse =>
        {
            var result = BertCheckpoint.ImportOnnx(parse.GetValue(onnx)!.FullName, parse.GetValue(vocab)!.FullName, parse.GetValue(output)!.FullName, lowerCase: !parse.GetValue(cased));
            var c = result.Config;
            console.WriteLine($"{c.Family}: {c.NumLayers} layers, hidden {c.HiddenSize}, {c.NumHeads} heads, intermediate {c.IntermediateSize}, vocab {c.VocabSize:N0}, " +
                $"{c.MaxPositionEmbeddings} positions, eps {c.LayerNormEps:G}; {result.Tensors.Count} tensors{(result.HasQaHead ? " with a QA head" : " (encoder: fine-tune it with a fresh QA head)")} -> {parse.GetValue(output)!.FullName}");
            return 0;
        });
        return command;
    }
}
