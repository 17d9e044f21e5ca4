namespace DistillML.Text.Squad;

/// <summary>One gold answer of a SQuAD question: its text and its character offset in the context.</summary>
/// <param name="Text">The answer text, exactly as it appears in the context at <paramref name="Start"/>.</param>
/// <param name="Start">Zero-based character offset of the answer in the context (SQuAD's <c>answer_start</c>), as a UTF-16
/// index into the .NET string: <see cref="SquadDataset"/> converts the file's code-point offsets.</param>
public sealed record SquadAnswer(string Text, int Start)
{
    /// <summary>Character offset one past the answer's last character.</summary>
    public int End => Start + Text.Length;
}

/// <summary>
/// One SQuAD question with its paragraph. Unanswerable questions (SQuAD 2.0) have
/// <see cref="IsImpossible"/> set and no answers.
/// </summary>
/// <param name="Id">The question id, unique within a dataset.</param>
/// <param name="Title">The article title.</param>
/// <param name="Context">The paragraph the answer is taken from.</param>
/// <param name="Question">The question text.</param>
/// <param name="Answers">Gold answers (several in the dev sets; empty when unanswerable).</param>
/// <param name="IsImpossible">True for SQuAD 2.0 questions that the paragraph does not answer.</param>
public sealed record SquadExample(
    string Id,
    string Title,
    string Context,
    string Question,
    IReadOnlyList<SquadAnswer> Answers,
    bool IsImpossible);
