// The main job in a page, over DistillML's ML.NET API: distil a SQuAD teacher into a student half its depth, then
// score both with the official metric. Options live in the CLI (`distillml distill`); this shows the calls.
//   dotnet run -c Release --project examples/SquadDistillation -- [SQUAD_DIR] [TEACHER_DIR]
// Defaults: ../shared/assets/squad and runs/teacher-minilm/model (`distillml teacher` makes it).
using DistillML;
using DistillML.Text.Squad;
using DistillML.Torch.Modeling;
using DistillML.Torch.OnnxExport;
using Microsoft.ML;

string squad = args.Length > 0 ? args[0] : Path.Combine("..", "shared", "assets", "squad");
string teacherDir = args.Length > 1 ? args[1] : Path.Combine("runs", "teacher-minilm", "model");

var ml = new MLContext(seed: 1);
// 4,000 training and 500 dev questions, spread over every article: minutes, not hours, on 2 cores.
var train = ml.Data.LoadFromSquadExamples(SquadDataset.Load(Path.Combine(squad, "train-v1.1.json")).EvenlySpread(4_000));
var dev = ml.Data.LoadFromSquadExamples(SquadDataset.Load(Path.Combine(squad, "dev-v1.1.json")).EvenlySpread(500));

using var teacher = BertQaModel.Load(teacherDir);
var c = teacher.Config;
var options = new DistillBertOptions
{
    // DistilBERT's recipe: every other teacher layer at the teacher's width, soft targets at T = 2.
    Student = new StudentArchitecture(Layers: Math.Max(1, c.NumLayers / 2), Hidden: c.HiddenSize, Heads: c.NumHeads, Intermediate: c.IntermediateSize),
    Temperature = 2, AlphaCe = 0.5, AlphaSquad = 0.5, MaxSteps = 300, BatchSize = 32, MaxSequenceLength = 256, DocStride = 128,
    TeacherCacheDirectory = Path.Combine("runs", "example-teacher-logits"),
    Progress = new Progress<DistillML.Torch.Training.TrainingProgress>(p => Console.Write($"\r{p.Phase} {p.Step}/{p.TotalSteps} loss {p.Loss:F3}  ")),
};
using var student = ml.Transforms.DistillBert(teacher, options).Fit(train);
Console.WriteLine();

using var teacherQa = ml.Transforms.BertQuestionAnswering(teacher, new BertQuestionAnsweringOptions { MaxSequenceLength = 256, DocStride = 128 }).Fit(dev);
foreach (var (name, model, parameters) in new (string, ITransformer, long)[] { ("teacher", teacherQa, teacher.ParameterCount), ("student", student, student.ParameterCount) })
{
    var m = ml.QuestionAnswering().Evaluate(model.Transform(dev));
    Console.WriteLine($"{name,-8} {parameters,12:N0} parameters  EM {m.Exact:F2}  F1 {m.F1:F2}");
}
ml.Model.SaveDistilled(student, Path.Combine("runs", "example-student"));
student.Student.ExportOnnx(Path.Combine("runs", "example-student.onnx"));
