using System.Diagnostics;

namespace DistillML.Onnx.Tests.Export;

/// <summary>
/// Runs the reference ONNX checker, <c>onnx.checker.check_model(path, full_check=True)</c>, with Debian's python3-onnx
/// (<c>apt-get install python3-onnx</c>) through /usr/bin/python3 (a python3 earlier on PATH may lack the module).
/// </summary>
internal static class OnnxChecker
{
    public const string Python = "/usr/bin/python3";
    public const string SkipVariable = "DISTILLML_SKIP_ONNX_CHECKER";

    private static readonly Lazy<string?> Missing = new(FindProblem);

    /// <summary>Null when the checker can run, else why not.</summary>
    public static string? Unavailable => Missing.Value;

    public static bool Skipped => Environment.GetEnvironmentVariable(SkipVariable) == "1";

    /// <summary>Checks <paramref name="path"/>; returns the checker's exit code and output.</summary>
    public static (int ExitCode, string Output) Check(string path) =>
        Run("import sys, onnx\nonnx.checker.check_model(sys.argv[1], full_check=True)\nprint('ok', onnx.__version__)", path);

    private static string? FindProblem()
    {
        if (!File.Exists(Python)) return $"{Python} does not exist";
        var (code, text) = Run("import onnx; print(onnx.__version__)");
        return code == 0 ? null : $"{Python} cannot import onnx: {text.Trim()}";
    }

    private static (int, string) Run(string script, params string[] args)
    {
        var info = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000)) { process.Kill(); return (-1, "timed out"); }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
