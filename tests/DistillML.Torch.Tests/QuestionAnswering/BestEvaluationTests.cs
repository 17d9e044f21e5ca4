using DistillML.Text.Squad;
using DistillML.Torch.QuestionAnswering;

namespace DistillML.Torch.Tests.QuestionAnswering;

public class BestEvaluationTests
{
    private static SquadMetrics V2(double f1, double bestF1) => new(SquadVersion.V2_0, f1, f1, 500,
        new SquadSubsetMetrics(0, 0, 255), new SquadSubsetMetrics(100, 100, 245), f1, 0, bestF1, 0.5, []);

    [Fact]
    public void On_squad2_data_a_model_that_answers_beats_the_all_null_one_when_its_threshold_tuned_f1_is_higher()
    {
        var allNull = V2(f1: 49.0, bestF1: 49.0);          // "no answer" everywhere
        var answering = V2(f1: 35.2, bestF1: 52.3);        // answers too often at threshold 0, better once thresholded
        Assert.True(BestEvaluation.SelectionScore(answering) > BestEvaluation.SelectionScore(allNull));
    }

    [Fact]
    public void On_squad1_data_the_selection_is_plain_f1()
    {
        var v1 = new SquadMetrics(SquadVersion.V1_1, 8.4, 17.98, 500, null, null, null, null, null, null, []);
        Assert.Equal(17.98, BestEvaluation.SelectionScore(v1));
    }
}
