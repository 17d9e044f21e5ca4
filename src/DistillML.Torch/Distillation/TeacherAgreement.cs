using DistillML.Text.Decoding;
using DistillML.Text.Features;
using DistillML.Text.Squad;
using DistillML.Torch.Modeling;
using DistillML.Torch.QuestionAnswering;

namespace DistillML.Torch.Distillation;

/// <summary>How closely a student reproduces its teacher's answers.</summary>
/// <param name="WindowArgmax">Percent of windows where the student's argmax start and argmax end over the window's context
/// tokens (the span each model points at; [CLS] and the question excluded) are the teacher's.</param>
/// <param name="AnswerExact">Percent of questions whose decoded answer is exactly the teacher's (SQuAD normalisation).</param>
/// <param name="AnswerF1">Token F1 of the student's answers against the teacher's, percent.</param>
public sealed record TeacherAgreement(double WindowArgmax, double AnswerExact, double AnswerF1)
{
    /// <summary>Measures agreement on <paramref name="examples"/> (spans only: "no answer" is not allowed to either model).</summary>
    public static TeacherAgreement Measure(BertQaModel teacher, BertQaModel student, BertFeaturizer featurizer, IReadOnlyList<SquadExample> examples, int batchSize = 64)
    {
        var post = new PostProcessingOptions { AllowNoAnswer = false };
        var teacherPredictor = new BertQaPredictor(teacher, featurizer, post, batchSize);
        var studentPredictor = new BertQaPredictor(student, featurizer, post, batchSize);
        var windows = featurizer.Featurize(examples).ToList();
        var teacherLogits = teacherPredictor.Logits(windows);
        var studentLogits = studentPredictor.Logits(windows);
        int same = 0;
        for (int i = 0; i < windows.Count; i++)
        {
            var w = windows[i];
            if (ArgMax(teacherLogits[i].StartLogits.Span.Slice(w.ContextStart, w.ContextLength)) == ArgMax(studentLogits[i].StartLogits.Span.Slice(w.ContextStart, w.ContextLength))
                && ArgMax(teacherLogits[i].EndLogits.Span.Slice(w.ContextStart, w.ContextLength)) == ArgMax(studentLogits[i].EndLogits.Span.Slice(w.ContextStart, w.ContextLength))) same++;
        }

        var processor = new SquadPostProcessor(post);
        var teacherAnswers = processor.PredictAll(examples, teacherLogits);
        var studentAnswers = processor.PredictAll(examples, studentLogits);
        var asGold = examples.Select(e => e with
        {
            Answers = [new SquadAnswer(teacherAnswers[e.Id].Text, Math.Max(0, teacherAnswers[e.Id].StartChar))],
            IsImpossible = false,
        }).ToList();
        var metrics = SquadMetric.EvaluateV1(asGold, studentAnswers.ToDictionary(kv => kv.Key, kv => kv.Value.Text));
        return new TeacherAgreement(100.0 * same / Math.Max(1, windows.Count), metrics.Exact, metrics.F1);
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }
}
