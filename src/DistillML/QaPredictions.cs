namespace DistillML;

/// <summary>The outputs of every input row, by row position.</summary>
/// <param name="Answers">Predicted answer text per row.</param>
/// <param name="Scores">Score per row.</param>
/// <param name="NoAnswerProbabilities">No-answer probability per row.</param>
internal sealed record QaPredictions(string[] Answers, float[] Scores, float[] NoAnswerProbabilities);
