namespace DistillML.Text.Squad;

/// <summary>
/// A SQuAD file is not what <see cref="SquadDataset"/> expects. The message names the file, the JSON position,
/// the question id (when known), the field and the offending value; <see cref="Problem"/> holds them typed.
/// </summary>
public sealed class SquadFormatException : FormatException
{
    /// <summary>Creates the exception for one problem.</summary>
    /// <param name="problem">What is wrong and where.</param>
    /// <param name="inner">The underlying exception (a JSON parse error, an I/O error), if any.</param>
    public SquadFormatException(SquadProblem problem, Exception? inner = null)
        : base(problem.ToString(), inner) => Problem = problem;

    /// <summary>What is wrong and where.</summary>
    public SquadProblem Problem { get; }

    /// <summary>The file being read.</summary>
    public string FilePath => Problem.FilePath;

    /// <summary>The question id, or null when unknown.</summary>
    public string? QuestionId => Problem.QuestionId;

    /// <summary>The JSON field at fault.</summary>
    public string Field => Problem.Field;
}
