namespace DistillML.Tuning.Sampling;

/// <summary>Derives independent, reproducible seeds from a base seed and a stream id (SplitMix64).</summary>
public static class SeedMixer
{
    /// <summary>A seed for stream <paramref name="stream"/> of base seed <paramref name="seed"/>.</summary>
    public static int Mix(int seed, long stream)
    {
        var z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)stream + 0x632BE59BD9B4E019UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }
}
