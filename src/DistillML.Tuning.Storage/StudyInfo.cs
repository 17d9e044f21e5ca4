namespace DistillML.Tuning.Storage;

/// <summary>A study as stored.</summary>
public sealed class StudyInfo
{
    /// <summary>The store's id of the study.</summary>
    public required long Id { get; init; }

    /// <summary>The study name.</summary>
    public required string Name { get; init; }

    /// <summary>The objectives, in order.</summary>
    public required IReadOnlyList<StudyObjective> Objectives { get; init; }

    /// <summary>The problem description (JSON).</summary>
    public required string DescriptionJson { get; init; }

    /// <summary>When the study was created (the store's clock).</summary>
    public required DateTime CreatedAtUtc { get; init; }
}
