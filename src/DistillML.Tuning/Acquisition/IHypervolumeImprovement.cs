namespace DistillML.Tuning.Acquisition;

/// <summary>
/// Expected hypervolume improvement over a fixed front (minimization), for a candidate whose objectives are
/// independent normals N(mean_j, std_j²); std_j = 0 marks an exactly known objective.
/// </summary>
public interface IHypervolumeImprovement
{
    /// <summary>The expected improvement of the hypervolume when the candidate joins the front.</summary>
    double Expected(ReadOnlySpan<double> mean, ReadOnlySpan<double> std);
}
