using DistillML.Onnx.MlNet;
using DistillML.Text.Decoding;
using DistillML.Text.Squad;
using Microsoft.ML;

namespace DistillML.Onnx.Tests.Inference;

public sealed class MlNetPipelineTests(DevModel dev) : IClassFixture<DevModel>
{
    private static readonly PostProcessingOptions Decoding = new() { AllowNoAnswer = true, NullScoreDiffThreshold = -2.2 };

    [Fact]
    public void Apply_onnx_model_pipeline_answers_like_onnx_question_answerer_on_dev_questions()
    {
        var ml = new MLContext(seed: 1);
        var questions = dev.Questions.Take(60).ToList();
        IDataView rows = ml.Data.LoadFromSquadExamples(questions);
        var pipeline = new OnnxQaPipeline(ml, dev.ModelPath, postProcessing: Decoding);
        var windows = pipeline.Featurize(rows);
        var scored = pipeline.CreateScorer().Fit(windows.Data).Transform(windows.Data);
        Assert.NotNull(scored.Schema.GetColumnOrNull("start_logits"));
        var viaMlNet = pipeline.Decode(windows, scored);

        using var qa = new OnnxQuestionAnswerer(dev.ModelPath, new() { PostProcessing = Decoding });
        var direct = qa.Predict(questions);
        Assert.Equal(direct.Count, viaMlNet.Count);
        foreach (var (id, d) in direct)
        {
            Assert.Equal(d.Text, viaMlNet[id].Text);
            Assert.Equal(d.StartChar, viaMlNet[id].StartChar);
            Assert.Equal(d.NoAnswerProbability, viaMlNet[id].NoAnswerProbability, tolerance: 1e-4);
        }
    }
}
