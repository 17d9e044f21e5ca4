// Trains the demo teacher (DistillML.Torch.Teachers.DemoTeacher): masked-LM self-pretraining on the SQuAD contexts,
// then QA fine-tuning, then the official metric on the dev set. No pretrained weights exist on this machine, so a
// teacher starts here. See train-teacher.sh beside this file for the measured runs.
using System.Diagnostics;
using DistillML.Torch.Teachers;
using DistillML.Torch.Training;
using TrainTeacher;

TeacherArguments a;
try { a = TeacherArguments.Parse(args); }
catch (ArgumentException e) { Console.Error.WriteLine(e.Message); return 2; }

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); Console.Error.WriteLine("Stopping after the current step..."); };
var clock = Stopwatch.StartNew();
var progress = new Progress<TrainingProgress>(p => Console.WriteLine(p.Phase == "evaluate"
    ? $"[{clock.Elapsed:hh\\:mm\\:ss}] evaluating at step {p.Step}/{p.TotalSteps}"
    : $"[{clock.Elapsed:hh\\:mm\\:ss}] {p.Phase} step {p.Step}/{p.TotalSteps} loss {p.Loss:F4} lr {p.LearningRate:E2} {p.ExamplesPerSecond:F1} ex/s eta {p.Eta:hh\\:mm\\:ss}"));

var options = a.Recipe;
try
{
    if (a.MlmOnly)
    {
        var m = DemoTeacher.PretrainOnly(a.DataDir, a.Vocab, options, progress, cts.Token);
        Console.WriteLine($"MLM: {m.Steps} steps over {m.Sequences:N0} sequences, loss {m.LossCurve.Take(20).Average(p => p.Loss):F3} -> {m.LossCurve.TakeLast(20).Average(p => p.Loss):F3}, {m.SequencesPerSecond:F1} seq/s, {m.WallTime}; saved to {options.MlmOutput}");
        return 0;
    }
    var r = DemoTeacher.Train(a.DataDir, a.Vocab, a.Output, options, progress, cts.Token);
    if (r.Mlm is { } mlm)
        Console.WriteLine($"MLM: {mlm.Steps} steps over {mlm.Sequences:N0} sequences, loss {mlm.LossCurve.Take(20).Average(p => p.Loss):F3} -> {mlm.LossCurve.TakeLast(20).Average(p => p.Loss):F3}, {mlm.SequencesPerSecond:F1} seq/s, {mlm.WallTime}");
    Console.WriteLine($"QA: {r.FineTuning.Steps} steps, {r.FineTuning.TrainingWindows:N0} windows, {r.FineTuning.WindowsPerSecond:F1} windows/s, best subset F1 {r.FineTuning.Best?.Metrics.F1:F2} at step {r.FineTuning.Best?.Step}");
    Console.WriteLine($"dev ({r.DevQuestions:N0} questions): " + string.Join(", ", r.Dev.ToOfficialDictionary().Select(kv => $"{kv.Key} {kv.Value:F2}")));
    Console.WriteLine($"{r.Parameters:N0} parameters; wrote {r.CheckpointDirectory} and {Path.Combine(a.Output, DemoTeacher.ReportFile)} in {r.WallTime}");
    return 0;
}
catch (FileNotFoundException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("Cancelled; the best checkpoint so far (if any) is in " + DemoTeacher.CheckpointOf(a.Output));
    return 130;
}
