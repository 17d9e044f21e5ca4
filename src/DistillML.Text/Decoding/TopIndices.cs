namespace DistillML.Text.Decoding;

/// <summary>Indices of the k largest values, largest first (what Hugging Face takes with <c>np.argsort(x)[-1:-k-1:-1]</c>).</summary>
internal static class TopIndices
{
    public static int Select(ReadOnlySpan<float> values, Span<int> result)
    {
        int k = Math.Min(result.Length, values.Length), count = 0;
        for (int i = 0; i < values.Length; i++)
        {
            float v = values[i];
            if (float.IsNaN(v)) continue;
            if (count == k && v <= values[result[count - 1]]) continue;
            int at = count < k ? count++ : count - 1;
            while (at > 0 && values[result[at - 1]] < v) { result[at] = result[at - 1]; at--; }
            result[at] = i;
        }
        return count;
    }
}
