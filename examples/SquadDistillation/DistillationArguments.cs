using System.Globalization;

namespace SquadDistillation;

/// <summary>Command-line settings. Defaults are the quick run (about 15 minutes on 2 CPU cores once a teacher exists); --full selects full-size settings.</summary>
internal sealed record DistillationArguments
{
    public string DataDir { get; init; } = Path.Combine("..", "shared", "assets", "squad");
    public string? Vocab { get; init; }
    public string? Teacher { get; init; }
    public string Output { get; init; } = Path.Combine("runs", "squad-distillation");
    public string DemoTeacherDir { get; init; } = Path.Combine("runs", "demo-teacher");
    public bool Full { get; init; }
    public int? Steps { get; init; }
    public int TrainQuestions { get; init; } = 8000;
    public int DevQuestions { get; init; } = 1000;
    public int SequenceLength { get; init; } = 192;
    public int DocStride { get; init; } = 64;
    public int BatchSize { get; init; } = 32;
    public double LearningRate { get; init; } = 5e-4;
    public double Temperature { get; init; } = 2;
    public double AlphaCe { get; init; } = 0.5;
    public int[]? Student { get; init; }
    public bool CompareLabelsOnly { get; init; }
    public int Seed { get; init; } = 42;
    public string? Device { get; init; }

    /// <summary>Optimizer steps: --steps, or 600 (quick) / 2 epochs (--full, null).</summary>
    public int? DistillSteps => Steps ?? (Full ? null : 600);

    public static DistillationArguments Parse(string[] args)
    {
        var a = new DistillationArguments();
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
                "--teacher" => a with { Teacher = Next() },
                "--out" => a with { Output = Next() },
                "--demo-teacher-dir" => a with { DemoTeacherDir = Next() },
                "--full" => a with { Full = true, TrainQuestions = int.MaxValue, DevQuestions = int.MaxValue, SequenceLength = 384, DocStride = 128, LearningRate = 1e-4 },
                "--steps" => a with { Steps = Int() },
                "--train-questions" => a with { TrainQuestions = Int() },
                "--dev-questions" => a with { DevQuestions = Int() },
                "--seq" => a with { SequenceLength = Int() },
                "--stride" => a with { DocStride = Int() },
                "--batch" => a with { BatchSize = Int() },
                "--lr" => a with { LearningRate = Double() },
                "--temperature" => a with { Temperature = Double() },
                "--alpha-ce" => a with { AlphaCe = Double() },
                "--student" => a with { Student = ParseStudent(Next()) },
                "--compare-labels-only" => a with { CompareLabelsOnly = true },
                "--seed" => a with { Seed = Int() },
                "--device" => a with { Device = Next() },
                "--help" or "-h" => throw new ArgumentException(Usage),
                _ => throw new ArgumentException($"Unknown option '{flag}'.\n{Usage}"),
            };
        }
        return a;
    }

    static int[] ParseStudent(string text)
    {
        var parts = text.Split(',').Select(p => int.TryParse(p, CultureInfo.InvariantCulture, out int v) ? v : -1).ToArray();
        if (parts.Length != 4 || parts.Any(p => p < 1)) throw new ArgumentException($"--student needs LAYERS,HIDDEN,HEADS,INTERMEDIATE (e.g. 2,256,4,1024), got '{text}'.");
        return parts;
    }

    public const string Usage = """
        usage: dotnet run --project examples/SquadDistillation -- --data-dir DIR [options]
          --data-dir DIR          directory with train-v1.1.json and dev-v1.1.json (here: ../shared/assets/squad)
          --teacher DIR           teacher checkpoint (Hugging Face layout); default: runs/teacher-minilm/model, then runs/teacher/model if present, else a demo teacher trained now and cached
          --full                  full-size run: all training questions, 2 epochs, the whole dev set, 384-token windows
          --student L,H,A,I       student layers, hidden, heads, intermediate (default: half the teacher's layers, its width)
          --steps N               distillation steps (default 600; --full: 2 epochs)
          --alpha-ce X            weight of the teacher's soft targets (default 0.5; alpha_squad = 1 - X)
          --compare-labels-only   also train the same student on labels only (alpha_ce = 0) for the same steps
          --train-questions N     --dev-questions N  --seq N  --stride N  --batch N  --lr X  --temperature T  --seed N
          --vocab PATH            BERT vocab.txt for a demo teacher (default: DATA-DIR/../bert-base-uncased-vocab.txt)
          --out DIR               where the student and report.json go (default runs/squad-distillation)
          --device cpu|cuda       default: CUDA when torch sees it
        """;
}
