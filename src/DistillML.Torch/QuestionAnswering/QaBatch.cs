using DistillML.Text.Features;
using static TorchSharp.torch;

namespace DistillML.Torch.QuestionAnswering;

/// <summary>
/// Windows stacked into [batch, seq] int64 tensors, cut to the longest real (unpadded) window of the batch: padding
/// sits at the end and is masked, so the logits of real tokens are the same, and short batches cost less.
/// </summary>
public sealed class QaBatch : IDisposable
{
    /// <summary>Stacks <paramref name="features"/> on <paramref name="device"/>.</summary>
    public QaBatch(IReadOnlyList<QaFeature> features, Device device, bool withTokenTypes = true)
    {
        Features = features;
        int rows = features.Count;
        Columns = features.Max(f => f.SequenceLength);
        var ids = new long[rows * Columns];
        var mask = new long[rows * Columns];
        var types = new long[rows * Columns];
        var starts = new long[rows];
        var ends = new long[rows];
        for (int r = 0; r < rows; r++)
        {
            var f = features[r];
            Array.Copy(f.InputIds, 0, ids, r * Columns, f.SequenceLength);
            Array.Copy(f.AttentionMask, 0, mask, r * Columns, f.SequenceLength);
            Array.Copy(f.TokenTypeIds, 0, types, r * Columns, f.SequenceLength);
            starts[r] = f.StartPosition;
            ends[r] = f.EndPosition;
        }
        InputIds = tensor(ids, [rows, Columns], device: device);
        AttentionMask = tensor(mask, [rows, Columns], device: device);
        TokenTypeIds = withTokenTypes ? tensor(types, [rows, Columns], device: device) : null;
        StartPositions = tensor(starts, device: device);
        EndPositions = tensor(ends, device: device);
    }

    /// <summary>The windows, in row order.</summary>
    public IReadOnlyList<QaFeature> Features { get; }
    /// <summary>Tokens per row.</summary>
    public int Columns { get; }
    /// <summary>[batch, seq] token ids.</summary>
    public Tensor InputIds { get; }
    /// <summary>[batch, seq] 1 for tokens, 0 for padding.</summary>
    public Tensor AttentionMask { get; }
    /// <summary>[batch, seq] segment ids, or null for models without token types.</summary>
    public Tensor? TokenTypeIds { get; }
    /// <summary>[batch] answer start labels (0 = [CLS]).</summary>
    public Tensor StartPositions { get; }
    /// <summary>[batch] answer end labels (0 = [CLS]).</summary>
    public Tensor EndPositions { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        InputIds.Dispose();
        AttentionMask.Dispose();
        TokenTypeIds?.Dispose();
        StartPositions.Dispose();
        EndPositions.Dispose();
    }
}
