using DistillML.Tuning.Objectives;

namespace DistillML.Tuning.Storage;

/// <summary>
/// What a study is: a unique name, its objectives (names and directions) and a JSON description of the problem
/// (search space, constraints; informative, for reports and for people). A study is created once; opening it again
/// with different objectives is refused.
/// </summary>
public sealed class StudyDefinition
{
    /// <summary>Creates a definition.</summary>
    /// <param name="name">The study name, unique within the store.</param>
    /// <param name="objectives">The objectives; at least one.</param>
    /// <param name="descriptionJson">A JSON document describing the problem; "{}" when omitted.</param>
    public StudyDefinition(string name, IEnumerable<StudyObjective> objectives, string? descriptionJson = null)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("A study needs a name.", nameof(name));
        }

        Name = name;
        Objectives = objectives?.ToArray() ?? throw new ArgumentNullException(nameof(objectives));
        if (Objectives.Count == 0)
        {
            throw new ArgumentException($"Study '{name}' needs at least one objective.", nameof(objectives));
        }

        DescriptionJson = string.IsNullOrWhiteSpace(descriptionJson) ? "{}" : descriptionJson;
        Serialization.JsonCheck.EnsureValid(DescriptionJson, nameof(descriptionJson));
    }

    /// <summary>The study name.</summary>
    public string Name { get; }

    /// <summary>The objectives, in order.</summary>
    public IReadOnlyList<StudyObjective> Objectives { get; }

    /// <summary>The problem description (JSON).</summary>
    public string DescriptionJson { get; }

    /// <summary>A definition for <paramref name="problem"/>: its objectives, and its search space, objectives and constraints described in JSON.</summary>
    public static StudyDefinition FromProblem(string name, TuningProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return new StudyDefinition(
            name,
            problem.Objectives.Select(o => new StudyObjective(o.Name, o.Direction)),
            Serialization.ProblemDescription.ToJson(problem));
    }
}
