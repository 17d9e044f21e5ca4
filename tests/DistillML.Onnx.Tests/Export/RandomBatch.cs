namespace DistillML.Onnx.Tests.Export;

/// <summary>Random token ids with right padding: row r has a random real length, the rest is [PAD] with mask 0.</summary>
internal sealed record RandomBatch(int Batch, int Sequence, long[] InputIds, long[] AttentionMask, long[] TokenTypeIds)
{
    public static RandomBatch Create(int batch, int sequence, int vocabSize, int seed)
    {
        var random = new Random(seed);
        var ids = new long[batch * sequence];
        var mask = new long[batch * sequence];
        var types = new long[batch * sequence];
        for (int r = 0; r < batch; r++)
        {
            // The first row is full length; others are padded (at least one real token).
            int length = r == 0 ? sequence : random.Next(1, sequence + 1);
            int split = random.Next(0, length);
            for (int c = 0; c < length; c++)
            {
                ids[r * sequence + c] = random.Next(1, vocabSize);
                mask[r * sequence + c] = 1;
                types[r * sequence + c] = c >= split ? 1 : 0;
            }
        }
        return new RandomBatch(batch, sequence, ids, mask, types);
    }
}
