namespace DistillML.Tuning.GaussianProcesses;

/// <summary>Cholesky factorization of dense symmetric positive definite matrices (row-major), with jitter escalation.</summary>
internal static class Cholesky
{
    /// <summary>
    /// Factors a + jitter I = L Lᵀ in place of a copy, trying jitter 0, then 1e-9, 1e-8, ... (relative to the
    /// mean diagonal) up to 1e-2. Returns L (lower, row-major) and the jitter used.
    /// </summary>
    public static (double[] L, double Jitter) FactorWithJitter(double[] a, int n)
    {
        var meanDiag = 0.0;
        for (var i = 0; i < n; i++)
        {
            meanDiag += a[i * n + i];
        }

        meanDiag = n > 0 ? Math.Max(meanDiag / n, 1e-12) : 1;
        var l = new double[a.Length];
        for (var attempt = 0; attempt <= 8; attempt++)
        {
            var jitter = attempt == 0 ? 0 : meanDiag * Math.Pow(10, -10 + attempt);
            Array.Copy(a, l, a.Length);
            for (var i = 0; i < n; i++)
            {
                l[i * n + i] += jitter;
            }

            if (TryFactorInPlace(l, n))
            {
                return (l, jitter);
            }
        }

        throw new InvalidOperationException("The covariance matrix is not positive definite even with jitter 1e-2.");
    }

    /// <summary>Factors in place (lower triangle; the upper triangle is zeroed). False when not positive definite.</summary>
    public static bool TryFactorInPlace(double[] a, int n)
    {
        for (var j = 0; j < n; j++)
        {
            var rowJ = j * n;
            var sum = a[rowJ + j];
            for (var k = 0; k < j; k++)
            {
                sum -= a[rowJ + k] * a[rowJ + k];
            }

            if (!(sum > 0) || double.IsNaN(sum))
            {
                return false;
            }

            var diag = Math.Sqrt(sum);
            a[rowJ + j] = diag;
            for (var i = j + 1; i < n; i++)
            {
                var rowI = i * n;
                var s = a[rowI + j];
                for (var k = 0; k < j; k++)
                {
                    s -= a[rowI + k] * a[rowJ + k];
                }

                a[rowI + j] = s / diag;
            }

            for (var k = j + 1; k < n; k++)
            {
                a[rowJ + k] = 0;
            }
        }

        return true;
    }

    /// <summary>Solves L x = b in place (forward substitution).</summary>
    public static void SolveLower(double[] l, int n, Span<double> b)
    {
        for (var i = 0; i < n; i++)
        {
            var s = b[i];
            var row = i * n;
            for (var k = 0; k < i; k++)
            {
                s -= l[row + k] * b[k];
            }

            b[i] = s / l[row + i];
        }
    }

    /// <summary>Solves Lᵀ x = b in place (back substitution).</summary>
    public static void SolveUpper(double[] l, int n, Span<double> b)
    {
        for (var i = n - 1; i >= 0; i--)
        {
            var s = b[i];
            for (var k = i + 1; k < n; k++)
            {
                s -= l[k * n + i] * b[k];
            }

            b[i] = s / l[i * n + i];
        }
    }

    /// <summary>The inverse (L Lᵀ)⁻¹, row-major.</summary>
    public static double[] Inverse(double[] l, int n)
    {
        // Linv = L⁻¹ (lower); A⁻¹ = Linvᵀ Linv.
        var linv = new double[n * n];
        for (var j = 0; j < n; j++)
        {
            linv[j * n + j] = 1 / l[j * n + j];
            for (var i = j + 1; i < n; i++)
            {
                var s = 0.0;
                var row = i * n;
                for (var k = j; k < i; k++)
                {
                    s -= l[row + k] * linv[k * n + j];
                }

                linv[row + j] = s / l[row + i];
            }
        }

        var inv = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var s = 0.0;
                for (var k = i; k < n; k++)
                {
                    s += linv[k * n + i] * linv[k * n + j];
                }

                inv[i * n + j] = s;
                inv[j * n + i] = s;
            }
        }

        return inv;
    }
}
