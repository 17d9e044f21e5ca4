using System.Buffers;
using DistillML.Text.Decoding;
using DistillML.Text.Features;
using Microsoft.ML.OnnxRuntime;

namespace DistillML.Onnx;

/// <summary>
/// Runs featurized windows through the shared session in batches of similar lengths, each padded to its longest
/// window. Input buffers are rented from <see cref="ArrayPool{T}"/> and returned after each run; the logits land in
/// rented buffers too, which <see cref="PooledLogits.Dispose"/> returns once the caller has decoded them.
/// Thread-safe: nothing is shared between calls except the session, whose Run is thread-safe.
/// </summary>
internal sealed class WindowRunner(InferenceSession session, bool hasTokenTypes, int batchSize)
{
    private static readonly string[] OutputNames = ["start_logits", "end_logits"];

    public PooledLogits Run(IReadOnlyList<QaFeature> features, CancellationToken cancellationToken)
    {
        var result = new WindowLogits[features.Count];
        var rented = new List<float[]>();
        try
        {
            var order = Enumerable.Range(0, features.Count).OrderBy(i => features[i].SequenceLength).ToArray();
            for (int from = 0; from < order.Length; from += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int rows = Math.Min(batchSize, order.Length - from);
                var batch = new QaFeature[rows];
                for (int r = 0; r < rows; r++) batch[r] = features[order[from + r]];
                float[] logits = RunBatch(batch, out int columns);
                rented.Add(logits);
                int half = rows * columns;
                for (int r = 0; r < rows; r++)
                {
                    int length = batch[r].SequenceLength;
                    result[order[from + r]] = new WindowLogits(batch[r],
                        logits.AsMemory(r * columns, length), logits.AsMemory(half + r * columns, length));
                }
            }
            return new PooledLogits(result, rented);
        }
        catch
        {
            foreach (var buffer in rented) ArrayPool<float>.Shared.Return(buffer);
            throw;
        }
    }

    /// <summary>Runs one batch; returns a rented buffer holding all start logits, then all end logits ([rows, columns] each).</summary>
    private float[] RunBatch(QaFeature[] batch, out int columns)
    {
        int rows = batch.Length;
        columns = batch.Max(f => f.SequenceLength);
        int size = rows * columns;
        long[] ids = ArrayPool<long>.Shared.Rent(size), mask = ArrayPool<long>.Shared.Rent(size), types = ArrayPool<long>.Shared.Rent(size);
        var values = new List<OrtValue>(3);
        try
        {
            Array.Clear(ids, 0, size);
            Array.Clear(mask, 0, size);
            Array.Clear(types, 0, size);
            for (int r = 0; r < rows; r++)
            {
                var f = batch[r];
                int n = f.SequenceLength;
                Array.Copy(f.InputIds, 0, ids, r * columns, n);
                Array.Copy(f.AttentionMask, 0, mask, r * columns, n);
                Array.Copy(f.TokenTypeIds, 0, types, r * columns, n);
            }
            long[] shape = [rows, columns];
            values.Add(OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, ids.AsMemory(0, size), shape));
            values.Add(OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, mask.AsMemory(0, size), shape));
            string[] names = hasTokenTypes ? ["input_ids", "attention_mask", "token_type_ids"] : ["input_ids", "attention_mask"];
            if (hasTokenTypes) values.Add(OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, types.AsMemory(0, size), shape));

            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, names, values, OutputNames);
            float[] logits = ArrayPool<float>.Shared.Rent(2 * size);
            outputs[0].GetTensorDataAsSpan<float>().CopyTo(logits.AsSpan(0, size));
            outputs[1].GetTensorDataAsSpan<float>().CopyTo(logits.AsSpan(size, size));
            return logits;
        }
        finally
        {
            foreach (var v in values) v.Dispose();
            ArrayPool<long>.Shared.Return(ids);
            ArrayPool<long>.Shared.Return(mask);
            ArrayPool<long>.Shared.Return(types);
        }
    }
}

/// <summary>Window logits that point into pooled buffers; dispose after decoding to return them.</summary>
internal sealed class PooledLogits(WindowLogits[] windows, List<float[]> buffers) : IDisposable
{
    public WindowLogits[] Windows { get; } = windows;

    public void Dispose()
    {
        foreach (var buffer in buffers) ArrayPool<float>.Shared.Return(buffer);
        buffers.Clear();
    }
}
