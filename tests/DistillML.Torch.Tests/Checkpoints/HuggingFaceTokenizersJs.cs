using System.Diagnostics;
using System.Text.Json;

namespace DistillML.Torch.Tests.Checkpoints;

/// <summary>
/// Hugging Face's own JavaScript implementation of tokenizer.json (npm <c>@huggingface/tokenizers</c>, the tokenizers
/// of transformers.js), run with node: an independent reader of the files we write. .ci/run installs it into
/// <see cref="DefaultDirectory"/>; <c>DISTILLML_HF_TOKENIZERS_JS</c> points elsewhere.
/// </summary>
internal static class HuggingFaceTokenizersJs
{
    public const string Version = "0.2.0";
    public const string DirectoryVariable = "DISTILLML_HF_TOKENIZERS_JS";
    public const string SkipVariable = "DISTILLML_SKIP_HF_TOKENIZERS_JS";

    public static string DefaultDirectory => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "distillml", "hf-tokenizers-js");

    private static string Directory => Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } d ? d : DefaultDirectory;

    private static string Module => Path.Combine(Directory, "node_modules", "@huggingface", "tokenizers", "dist", "tokenizers.cjs");

    public static bool Skipped => Environment.GetEnvironmentVariable(SkipVariable) == "1";

    /// <summary>Null when node and the package are there, else why not and how to get them.</summary>
    public static string? Unavailable =>
        !File.Exists(Module) ? $"{Module} not found: npm install --prefix {Directory} @huggingface/tokenizers@{Version} (as .ci/run does), or set {SkipVariable}=1"
        : FindNode() is null ? "node is not on PATH (apt-get install nodejs)" : null;

    private static string? FindNode() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(p => Path.Combine(p, "node")).FirstOrDefault(File.Exists);

    /// <summary>Encodes each (question, context) pair with the tokenizer in <paramref name="checkpoint"/>: ids and token type ids.</summary>
    public static List<(int[] Ids, int[] TypeIds)> EncodePairs(string checkpoint, IReadOnlyList<(string Question, string Context)> pairs)
    {
        string work = System.IO.Directory.CreateTempSubdirectory("hf-tokenizers-js-").FullName;
        try
        {
            string input = Path.Combine(work, "pairs.json"), output = Path.Combine(work, "encoded.json");
            File.WriteAllText(input, JsonSerializer.Serialize(pairs.Select(p => new[] { p.Question, p.Context })));
            const string script = """
                const fs = require('fs');
                const { Tokenizer } = require(process.argv[1]);
                const read = f => JSON.parse(fs.readFileSync(process.argv[2] + '/' + f, 'utf8'));
                const tokenizer = new Tokenizer(read('tokenizer.json'), read('tokenizer_config.json'));
                const pairs = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
                const encoded = pairs.map(([q, c]) => { const e = tokenizer.encode(q, { text_pair: c, return_token_type_ids: true }); return [e.ids, e.token_type_ids]; });
                fs.writeFileSync(process.argv[4], JSON.stringify(encoded));
                """;
            var info = new ProcessStartInfo(FindNode()!) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "-e", script, Module, checkpoint, input, output }) info.ArgumentList.Add(a);
            using var process = Process.Start(info)!;
            string stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new InvalidOperationException($"node exited {process.ExitCode}: {stderr}");
            return JsonSerializer.Deserialize<int[][][]>(File.ReadAllText(output))!.Select(e => (e[0], e[1])).ToList();
        }
        finally
        {
            System.IO.Directory.Delete(work, recursive: true);
        }
    }
}
