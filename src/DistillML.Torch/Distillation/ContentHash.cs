using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using DistillML.Text.Features;
using DistillML.Torch.Modeling;
using static TorchSharp.torch;

namespace DistillML.Torch.Distillation;

/// <summary>SHA-256 content hashes that key the teacher-logits cache.</summary>
public static class ContentHash
{
    /// <summary>Hash of a model's architecture and every weight (names, shapes, float32 values, in name order).</summary>
    public static string OfModel(BertQaModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(model.Config.ToString()));
        using var noGrad = no_grad();
        foreach (var (name, tensor) in model.state_dict().OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            using var scope = NewDisposeScope();
            hash.AppendData(Encoding.UTF8.GetBytes($"{name}[{string.Join(',', tensor.shape)}]"));
            var values = tensor.detach().to(ScalarType.Float32, CPU).contiguous().data<float>().ToArray();
            hash.AppendData(MemoryMarshal.AsBytes(values.AsSpan()));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>
    /// Hash of the model inputs of <paramref name="windows"/> (question ids, token ids, segments, masks, real lengths):
    /// it changes with the dataset's content and with every featurizer setting that changes what the model reads.
    /// </summary>
    public static string OfWindows(IReadOnlyList<QaFeature> windows)
    {
        ArgumentNullException.ThrowIfNull(windows);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[4];
        foreach (var w in windows)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(w.ExampleId));
            BitConverter.TryWriteBytes(length, w.SequenceLength);
            hash.AppendData(length);
            hash.AppendData(MemoryMarshal.AsBytes(w.InputIds.AsSpan(0, w.SequenceLength)));
            hash.AppendData(MemoryMarshal.AsBytes(w.TokenTypeIds.AsSpan(0, w.SequenceLength)));
            hash.AppendData(MemoryMarshal.AsBytes(w.AttentionMask.AsSpan(0, w.SequenceLength)));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The featurizer settings that shape the windows, as one readable line (stored in cache headers).</summary>
    public static string Describe(FeaturizerOptions options) =>
        $"seq={options.MaxSequenceLength};stride={options.DocStride};query={options.MaxQueryLength};lower={options.LowerCase}";
}
