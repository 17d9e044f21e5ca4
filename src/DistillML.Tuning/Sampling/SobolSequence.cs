namespace DistillML.Tuning.Sampling;

/// <summary>
/// The Sobol low-discrepancy sequence (Joe-Kuo direction numbers, Gray-code order, 32-bit), optionally
/// randomized by a digital shift (an XOR of each coordinate with a seeded random 32-bit word), which keeps
/// the net structure and makes every point uniform on the unit cube. Dimensions beyond the table's 21
/// fall back to seeded uniform random coordinates.
/// </summary>
public sealed class SobolSequence
{
    private const int Bits = 32;
    private readonly uint[][] _directions;
    private readonly uint[] _shift;
    private readonly int _overflowSeed;

    /// <summary>Creates a sequence.</summary>
    /// <param name="dimension">Number of coordinates per point.</param>
    /// <param name="scrambleSeed">A seed for the digital shift, or null for the plain sequence (first point 0).</param>
    public SobolSequence(int dimension, int? scrambleSeed = null)
    {
        if (dimension < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(dimension), "A Sobol sequence needs at least one dimension.");
        }

        Dimension = dimension;
        var tabled = Math.Min(dimension, JoeKuoDirections.MaxDimension);
        _directions = new uint[tabled][];
        for (var d = 0; d < tabled; d++)
        {
            _directions[d] = Directions(d);
        }

        _shift = new uint[dimension];
        if (scrambleSeed is { } seed)
        {
            var rng = new Random(seed);
            for (var d = 0; d < dimension; d++)
            {
                _shift[d] = (uint)rng.NextInt64(0, 1L << 32);
            }
        }

        _overflowSeed = scrambleSeed ?? 0x5EED;
    }

    /// <summary>Number of coordinates per point.</summary>
    public int Dimension { get; }

    /// <summary>The first <paramref name="count"/> points after skipping <paramref name="skip"/>.</summary>
    public double[][] Take(int count, int skip = 0)
    {
        var result = new double[count][];
        var state = new uint[Math.Min(Dimension, _directions.Length)];
        for (var i = 0; i < skip + count; i++)
        {
            if (i > 0)
            {
                // Gray code: flip the direction number of the lowest zero bit of i - 1.
                var c = System.Numerics.BitOperations.TrailingZeroCount(~(uint)(i - 1));
                for (var d = 0; d < state.Length; d++)
                {
                    state[d] ^= _directions[d][c];
                }
            }

            if (i < skip)
            {
                continue;
            }

            var point = new double[Dimension];
            for (var d = 0; d < Dimension; d++)
            {
                point[d] = d < state.Length
                    ? (state[d] ^ _shift[d]) / 4294967296.0
                    : Overflow(i, d);
            }

            result[i - skip] = point;
        }

        return result;
    }

    // Coordinates past the direction table are uniform draws that depend only on the point's index and the coordinate, so
    // Take(count, skip) gives the same points whichever calls came before it (samplers are functions of the study).
    private double Overflow(int index, int dimension) => SeedMixer.Mix(SeedMixer.Mix(_overflowSeed, index), dimension) / 2147483648.0;

    private static uint[] Directions(int d)
    {
        var v = new uint[Bits];
        if (d == 0)
        {
            for (var k = 0; k < Bits; k++)
            {
                v[k] = 1u << (Bits - 1 - k);
            }

            return v;
        }

        var (s, a, m) = JoeKuoDirections.Table[d - 1];
        for (var k = 0; k < Math.Min(s, Bits); k++)
        {
            v[k] = (uint)m[k] << (Bits - 1 - k);
        }

        for (var k = s; k < Bits; k++)
        {
            var value = v[k - s] ^ (v[k - s] >> s);
            for (var t = 1; t < s; t++)
            {
                if (((a >> (s - 1 - t)) & 1) == 1)
                {
                    value ^= v[k - t];
                }
            }

            v[k] = value;
        }

        return v;
    }
}
