using DistillML.Text.Decoding;
using DistillML.Text.Features;
using DistillML.TestSupport;
using DistillML.Torch.QuestionAnswering;

namespace DistillML.Onnx.Tests.Inference;

public sealed class OnnxQuestionAnswererTests(DevModel dev, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<DevModel>
{
    // The random model's null score trails its best span by about 2: this threshold gives a mix of answers and "no answer".
    private static readonly PostProcessingOptions Decoding = new() { AllowNoAnswer = true, NullScoreDiffThreshold = -2.2 };

    [Fact]
    public void Answers_equal_torchsharp_predictors_on_squad_2_dev_questions()
    {
        var featurizer = BertFeaturizer.Create(new FeaturizerOptions
        {
            VocabPath = SharedAssets.BertVocab, MaxSequenceLength = 384, DocStride = 128, MaxQueryLength = 64,
        });
        var expected = new BertQaPredictor(dev.Model, featurizer, Decoding).Predict(dev.Questions);
        using var qa = new OnnxQuestionAnswerer(dev.ModelPath, new() { PostProcessing = Decoding });
        var actual = qa.Predict(dev.Questions);

        Assert.Equal(expected.Count, actual.Count);
        Assert.Contains(actual.Values, p => p.IsNoAnswer);
        Assert.Contains(actual.Values, p => !p.IsNoAnswer);
        output.WriteLine($"{actual.Values.Count(p => p.IsNoAnswer)} of {actual.Count} predicted \"no answer\".");
        foreach (var (id, e) in expected)
        {
            var a = actual[id];
            Assert.True(e.Text == a.Text && e.StartChar == a.StartChar, $"Question {id}: TorchSharp '{e.Text}'@{e.StartChar}, ONNX '{a.Text}'@{a.StartChar}.");
            Assert.Equal(e.NoAnswerProbability, a.NoAnswerProbability, tolerance: 1e-4); // an absolute tolerance: rounding to 4 places fails on values a hair either side of a boundary
            Assert.Equal(e.Score, a.Score, tolerance: 1e-3);
        }
    }

    [Fact]
    public void Single_and_batched_answers_agree_and_carry_the_span_in_the_context()
    {
        using var qa = new OnnxQuestionAnswerer(dev.ModelPath, new() { PostProcessing = new() { AllowNoAnswer = false } });
        var questions = dev.Questions.Take(20).Select(q => new QaQuestion(q.Question, q.Context)).ToList();
        var batched = qa.AnswerBatch(questions);
        for (int i = 0; i < questions.Count; i++)
        {
            var single = qa.Answer(questions[i].Question, questions[i].Context);
            Assert.Equal(single.Text, batched[i].Text);
            Assert.Equal(single.Start, batched[i].Start);
            Assert.Equal(questions[i].Context[single.Start..single.End], single.Text);
            Assert.InRange(single.NoAnswerProbability, 0, 1);
        }
    }

    [Fact]
    public void Concurrent_callers_get_the_same_answers_as_one_caller()
    {
        using var qa = new OnnxQuestionAnswerer(dev.ModelPath, new() { IntraOpThreads = 1 });
        var questions = dev.Questions.Take(24).Select(q => new QaQuestion(q.Question, q.Context)).ToList();
        var sequential = questions.Select(q => qa.Answer(q.Question, q.Context)).ToList();
        var concurrent = new QaAnswer[questions.Count];
        Parallel.For(0, questions.Count * 4, new ParallelOptions { MaxDegreeOfParallelism = 8 }, k =>
        {
            int i = k % questions.Count;
            var answer = qa.Answer(questions[i].Question, questions[i].Context);
            Assert.Equal(sequential[i], answer);
            concurrent[i] = answer;
        });
        Assert.Equal(sequential, concurrent);
    }

    [Fact]
    public void Metadata_drives_the_featurizer_and_the_cpu_provider_is_logged()
    {
        var log = new List<string>();
        using var qa = new OnnxQuestionAnswerer(dev.ModelPath, new() { Log = log.Add });
        Assert.Equal((384, 128, 64, true), (qa.Featurizer.Options.MaxSequenceLength, qa.Featurizer.Options.DocStride,
            qa.Featurizer.Options.MaxQueryLength, qa.Featurizer.Options.LowerCase));
        Assert.Equal("CPUExecutionProvider", qa.ExecutionProvider);
        Assert.Contains(log, l => l.Contains("CPU execution provider", StringComparison.Ordinal));
        Assert.Contains(log, l => l.Contains("BertForQuestionAnswering", StringComparison.Ordinal));
    }

    [Fact]
    public void A_long_context_is_answered_across_many_windows()
    {
        using var qa = new OnnxQuestionAnswerer(dev.ModelPath, new() { PostProcessing = new() { AllowNoAnswer = false } });
        string context = string.Join(" ", dev.Questions.Select(q => q.Context).Distinct().Take(15));
        var answer = qa.Answer("What happened?", context);
        Assert.True(qa.Featurizer.Featurize("x", "What happened?", context).Count > 5);
        Assert.Equal(context[answer.Start..answer.End], answer.Text);
    }
}
