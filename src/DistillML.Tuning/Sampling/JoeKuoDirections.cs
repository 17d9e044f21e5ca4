namespace DistillML.Tuning.Sampling;

/// <summary>
/// Primitive polynomials and initial direction numbers of Joe and Kuo's new-joe-kuo-6.21201 table
/// for dimensions 2 to 21 (dimension 1 is the van der Corput sequence).
/// </summary>
internal static class JoeKuoDirections
{
    /// <summary>(degree s, coefficients a, initial direction numbers m_1..m_s) for dimensions 2, 3, ...</summary>
    public static readonly (int S, int A, int[] M)[] Table =
    {
        (1, 0, new[] { 1 }),
        (2, 1, new[] { 1, 3 }),
        (3, 1, new[] { 1, 3, 1 }),
        (3, 2, new[] { 1, 1, 1 }),
        (4, 1, new[] { 1, 1, 3, 3 }),
        (4, 4, new[] { 1, 3, 5, 13 }),
        (5, 2, new[] { 1, 1, 5, 5, 17 }),
        (5, 4, new[] { 1, 1, 5, 5, 5 }),
        (5, 7, new[] { 1, 1, 7, 11, 19 }),
        (5, 11, new[] { 1, 1, 5, 1, 1 }),
        (5, 13, new[] { 1, 1, 1, 3, 11 }),
        (5, 14, new[] { 1, 3, 5, 5, 31 }),
        (6, 1, new[] { 1, 3, 3, 9, 7, 49 }),
        (6, 13, new[] { 1, 1, 1, 15, 21, 21 }),
        (6, 16, new[] { 1, 3, 1, 13, 27, 49 }),
        (6, 19, new[] { 1, 1, 1, 15, 7, 5 }),
        (6, 22, new[] { 1, 3, 1, 15, 13, 25 }),
        (6, 25, new[] { 1, 1, 5, 5, 19, 61 }),
        (7, 1, new[] { 1, 3, 7, 11, 23, 15, 103 }),
        (7, 4, new[] { 1, 3, 7, 13, 13, 15, 69 }),
    };

    /// <summary>The largest dimension the table covers.</summary>
    public static int MaxDimension => Table.Length + 1;
}
