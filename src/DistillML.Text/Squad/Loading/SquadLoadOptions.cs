namespace DistillML.Text.Squad;

/// <summary>What <see cref="SquadDataset"/> does with a question it cannot accept.</summary>
public enum InvalidQuestionHandling
{
    /// <summary>Throw a <see cref="SquadFormatException"/> at the first problem (the default).</summary>
    Throw,

    /// <summary>Record the problem in <see cref="SquadLoadOptions.Problems"/> and leave out the question
    /// (or the paragraph or article the problem concerns).</summary>
    Skip,
}

/// <summary>Options of <see cref="SquadDataset.Load"/> and <see cref="SquadDataset.Read"/>.</summary>
public sealed class SquadLoadOptions
{
    /// <summary>Throw at the first invalid question (default), or skip such questions and collect their problems.
    /// Problems that leave nothing to read (not JSON, no <c>data</c> array) always throw.</summary>
    public InvalidQuestionHandling OnInvalidQuestion { get; init; } = InvalidQuestionHandling.Throw;

    /// <summary>
    /// Problems met while reading with <see cref="InvalidQuestionHandling.Skip"/>, in file order. Every load that uses
    /// this options instance appends to it; use one instance per load to keep them apart.
    /// </summary>
    public List<SquadProblem> Problems { get; } = [];
}
