using DistillML.Tuning.Objectives;

namespace DistillML.Tuning.Storage;

/// <summary>One objective of a stored study: the metric (or known objective) name and its direction.</summary>
/// <param name="Name">The objective's name.</param>
/// <param name="Direction">Better low or high.</param>
public sealed record StudyObjective(string Name, ObjectiveDirection Direction)
{
    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Direction})";
}
