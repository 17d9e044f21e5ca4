namespace OnnxBench;

/// <summary>Command-line flags.</summary>
internal sealed record BenchArgs(int Seq, int Batch, double Seconds, string? Checkpoint, int FinetuneSteps, int DevQuestions, bool SkipThroughput, bool SkipAccuracy, bool OpProfile, int ProfileRuns, string? ProfileKeep, (int Layers, int Hidden)[] Sizes)
{
    public static BenchArgs Parse(string[] args)
    {
        string? Value(string flag) { int i = Array.IndexOf(args, flag); return i >= 0 && i + 1 < args.Length ? args[i + 1] : null; }
        int Int(string flag, int fallback) => Value(flag) is { } v ? int.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : fallback;
        return new BenchArgs(Int("--seq", 256), Int("--batch", 32), Value("--seconds") is { } s ? double.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : 6,
            Value("--checkpoint"), Int("--finetune-steps", 400), Int("--dev-questions", 400),
            args.Contains("--skip-throughput"), args.Contains("--skip-accuracy"), args.Contains("--profile"), Int("--profile-runs", 5), Value("--profile-keep"),
            (Value("--sizes") ?? "2x128,4x256,6x384").Split(',').Select(p => p.Split('x'))
                .Select(p => (int.Parse(p[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture))).ToArray());
    }
}
