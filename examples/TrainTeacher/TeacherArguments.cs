using System.Globalization;
using DistillML.Torch.Teachers;

namespace TrainTeacher;

/// <summary>Command-line settings of the demo teacher run: paths, and the recipe (defaults are DemoTeacherOptions').</summary>
internal sealed record TeacherArguments
{
    public string DataDir { get; init; } = Path.Combine("..", "shared", "assets", "squad");
    public string Vocab { get; init; } = Path.Combine("..", "shared", "assets", "bert-base-uncased-vocab.txt");
    public string Output { get; init; } = Path.Combine("runs", "teacher");
    public bool MlmOnly { get; init; }
    public DemoTeacherOptions Recipe { get; init; } = new();

    public static TeacherArguments Parse(string[] args)
    {
        var a = new TeacherArguments();
        for (int i = 0; i < args.Length; i++)
        {
            string flag = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{flag} needs a value.");
            int Int() => int.TryParse(Next(), CultureInfo.InvariantCulture, out int v) ? v : throw new ArgumentException($"{flag} needs an integer, got '{args[i]}'.");
            double Double() => double.TryParse(Next(), CultureInfo.InvariantCulture, out double v) ? v : throw new ArgumentException($"{flag} needs a number, got '{args[i]}'.");
            var r = a.Recipe;
            a = flag switch
            {
                "--data-dir" => a with { DataDir = Next() },
                "--vocab" => a with { Vocab = Next() },
                "--out" => a with { Output = Next() },
                "--mlm-only" => a with { MlmOnly = true },
                "--layers" => a with { Recipe = r with { Layers = Int() } },
                "--hidden" => a with { Recipe = r with { Hidden = Int() } },
                "--heads" => a with { Recipe = r with { Heads = Int() } },
                "--intermediate" => a with { Recipe = r with { Intermediate = Int() } },
                "--seq" => a with { Recipe = r with { SequenceLength = Int() } },
                "--stride" => a with { Recipe = r with { DocStride = Int() } },
                "--mlm-steps" => a with { Recipe = r with { MlmSteps = Int() } },
                "--mlm-seq" => a with { Recipe = r with { MlmSequenceLength = Int() } },
                "--mlm-batch" => a with { Recipe = r with { MlmBatch = Int() } },
                "--mlm-lr" => a with { Recipe = r with { MlmLearningRate = Double() } },
                "--no-mlm" => a with { Recipe = r with { MlmSteps = 0 } },
                "--mlm-out" => a with { Recipe = r with { MlmOutput = Next() } },
                "--init" => a with { Recipe = r with { InitFrom = Next() } },
                "--qa-steps" => a with { Recipe = r with { QaSteps = Int() } },
                "--qa-batch" => a with { Recipe = r with { QaBatch = Int() } },
                "--qa-lr" => a with { Recipe = r with { QaLearningRate = Double() } },
                "--eval-every" => a with { Recipe = r with { EvaluateEvery = Int() } },
                "--eval-questions" => a with { Recipe = r with { EvaluationQuestions = Int() } },
                "--squad2" => a with { Recipe = r with { Squad2 = true } },
                "--seed" => a with { Recipe = r with { Seed = Int() } },
                "--device" => a with { Recipe = r with { Device = Next() } },
                _ => throw new ArgumentException($"Unknown option '{flag}'. See train-teacher.sh beside Program.cs for examples."),
            };
        }
        return a;
    }
}
