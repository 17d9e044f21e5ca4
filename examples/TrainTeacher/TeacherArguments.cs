using System.Globalization;

namespace TrainTeacher;

/// <summary>Command-line settings of the demo teacher run (every flag optional; defaults are the measured choice).</summary>
internal sealed record TeacherArguments
{
    public string DataDir { get; init; } = Path.Combine("..", "shared", "assets", "squad");
    public string Vocab { get; init; } = Path.Combine("..", "shared", "assets", "bert-base-uncased-vocab.txt");
    public string Output { get; init; } = Path.Combine("runs", "teacher");
    public int Layers { get; init; } = 3;
    public int Hidden { get; init; } = 192;
    public int Heads { get; init; } = 3;
    public int Intermediate { get; init; } = 768;
    public int SequenceLength { get; init; } = 192;
    public int DocStride { get; init; } = 64;
    public int MlmSteps { get; init; } = 500;
    public int MlmSequenceLength { get; init; } = 128;
    public int MlmBatch { get; init; } = 64;
    public double MlmLearningRate { get; init; } = 1e-3;
    public int QaSteps { get; init; } = 1200;
    public int QaBatch { get; init; } = 32;
    public double QaLearningRate { get; init; } = 5e-4;
    public int EvaluateEvery { get; init; } = 400;
    public int EvaluationQuestions { get; init; } = 1000;
    public bool SkipMlm { get; init; }
    public bool Squad2 { get; init; }
    public int Seed { get; init; } = 42;
    public string? MlmOutput { get; init; }
    public string? Init { get; init; }
    public bool MlmOnly { get; init; }

    public static TeacherArguments Parse(string[] args)
    {
        var a = new TeacherArguments();
        for (int i = 0; i < args.Length; i++)
        {
            string flag = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{flag} needs a value.");
            int Int() => int.TryParse(Next(), CultureInfo.InvariantCulture, out int v) ? v : throw new ArgumentException($"{flag} needs an integer, got '{args[i]}'.");
            double Double() => double.TryParse(Next(), CultureInfo.InvariantCulture, out double v) ? v : throw new ArgumentException($"{flag} needs a number, got '{args[i]}'.");
            a = flag switch
            {
                "--data-dir" => a with { DataDir = Next() },
                "--vocab" => a with { Vocab = Next() },
                "--out" => a with { Output = Next() },
                "--layers" => a with { Layers = Int() },
                "--hidden" => a with { Hidden = Int() },
                "--heads" => a with { Heads = Int() },
                "--intermediate" => a with { Intermediate = Int() },
                "--seq" => a with { SequenceLength = Int() },
                "--stride" => a with { DocStride = Int() },
                "--mlm-steps" => a with { MlmSteps = Int() },
                "--mlm-seq" => a with { MlmSequenceLength = Int() },
                "--mlm-batch" => a with { MlmBatch = Int() },
                "--mlm-lr" => a with { MlmLearningRate = Double() },
                "--qa-steps" => a with { QaSteps = Int() },
                "--qa-batch" => a with { QaBatch = Int() },
                "--qa-lr" => a with { QaLearningRate = Double() },
                "--eval-every" => a with { EvaluateEvery = Int() },
                "--eval-questions" => a with { EvaluationQuestions = Int() },
                "--no-mlm" => a with { SkipMlm = true },
                "--squad2" => a with { Squad2 = true },
                "--seed" => a with { Seed = Int() },
                "--mlm-out" => a with { MlmOutput = Next() },
                "--init" => a with { Init = Next() },
                "--mlm-only" => a with { MlmOnly = true },
                _ => throw new ArgumentException($"Unknown option '{flag}'. See examples/TrainTeacher/README.md."),
            };
        }
        return a;
    }
}
