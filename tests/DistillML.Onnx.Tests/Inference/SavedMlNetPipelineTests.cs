using DistillML.Onnx.MlNet;
using DistillML.Text.Decoding;
using DistillML.Text.Squad;
using DistillML.Torch.Modeling;
using DistillML.Torch.OnnxExport;
using DistillML.TestSupport;
using Microsoft.ML;

namespace DistillML.Onnx.Tests.Inference;

public sealed class SavedMlNetPipelineTests(DevModel dev) : IClassFixture<DevModel>
{
    private static readonly PostProcessingOptions Decoding = new() { AllowNoAnswer = true, NullScoreDiffThreshold = -2.2 };

    private sealed class Answer
    {
        public string Id { get; set; } = "";
        public string PredictedAnswer { get; set; } = "";
        public float Score { get; set; }
        public float NoAnswerProbability { get; set; }
    }

    [Fact]
    public void Saved_pipeline_loads_in_a_fresh_context_without_the_onnx_or_vocab_files_and_answers_like_onnx_question_answerer()
    {
        var questions = dev.Questions.Take(60).ToList();
        string directory = Path.Combine(dev.Directory, $"saved-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        string modelCopy = Path.Combine(directory, "student.onnx");
        File.Copy(dev.ModelPath, modelCopy);
        File.Copy(SharedAssets.BertVocab, Path.Combine(directory, "vocab.txt"));

        var ml = new MLContext(seed: 1);
        IDataView rows = ml.Data.LoadFromSquadExamples(questions);
        var pipeline = new OnnxQaPipeline(ml, modelCopy, postProcessing: Decoding);
        ITransformer model = pipeline.CreateEstimator().Fit(rows);
        string zip = Path.Combine(dev.Directory, $"qa-{Guid.NewGuid():N}.zip");
        ml.Model.Save(model, rows.Schema, zip);
        Directory.Delete(directory, recursive: true); // what the loaded model needs must be in the zip

        var fresh = new MLContext(seed: 2);
        ITransformer loaded = fresh.Model.Load(zip, out var inputSchema);
        Assert.NotNull(inputSchema.GetColumnOrNull("Question"));
        IDataView scored = loaded.Transform(fresh.Data.LoadFromSquadExamples(questions));
        Assert.Null(scored.Schema.GetColumnOrNull(QaPipelineColumns.Spec)); // intermediate columns are dropped
        Assert.Null(scored.Schema.GetColumnOrNull("input_ids"));
        var answers = fresh.Data.CreateEnumerable<Answer>(scored, reuseRowObject: false).ToList();

        using var qa = new OnnxQuestionAnswerer(dev.ModelPath, new() { PostProcessing = Decoding });
        var direct = qa.Predict(questions);
        Assert.Equal(questions.Count, answers.Count);
        int compared = 0;
        foreach (var (question, answer) in questions.Zip(answers))
        {
            Assert.Equal(question.Id, answer.Id);
            if (pipeline.Featurizer.Featurize(question).Count > QaWindowGeometry.Windows) continue; // answered from its first windows only
            var expected = direct[question.Id];
            Assert.Equal(expected.Text, answer.PredictedAnswer);
            Assert.Equal(expected.Score, answer.Score, tolerance: 1e-4);
            Assert.Equal(expected.NoAnswerProbability, answer.NoAnswerProbability, tolerance: 1e-5);
            compared++;
        }
        Assert.True(compared >= 55, $"only {compared} of {questions.Count} questions fit in {QaWindowGeometry.Windows} windows");
        Assert.Contains(answers, a => a.PredictedAnswer.Length > 0);
    }

    [Fact]
    public void Saved_pipeline_answers_a_context_longer_than_its_window_budget_from_its_first_windows()
    {
        var ml = new MLContext(seed: 1);
        var pipeline = new OnnxQaPipeline(ml, dev.ModelPath, postProcessing: Decoding);
        var baseQuestion = dev.Questions[0];
        var longContext = string.Join(" ", Enumerable.Repeat(baseQuestion.Context, 12));
        var example = baseQuestion with { Id = "long", Context = longContext };
        Assert.True(pipeline.Featurizer.Featurize(example).Count > QaWindowGeometry.Windows);

        var rows = ml.Data.LoadFromSquadExamples([example]);
        var scored = pipeline.CreateEstimator().Fit(rows).Transform(rows);
        var answer = Assert.Single(ml.Data.CreateEnumerable<Answer>(scored, reuseRowObject: false));

        // The same decoding over the first windows only, by hand.
        var windows = pipeline.Featurizer.Featurize(example).Take(QaWindowGeometry.Windows).ToList();
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(dev.ModelPath);
        var logits = windows.Select(w =>
        {
            var inputs = pipeline.InputColumns.Select(name => Microsoft.ML.OnnxRuntime.NamedOnnxValue.CreateFromTensor(name,
                new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<long>(name switch
                {
                    "input_ids" => w.InputIds,
                    "attention_mask" => w.AttentionMask,
                    _ => w.TokenTypeIds,
                }, [1, w.InputIds.Length]))).ToList();
            using var outputs = session.Run(inputs);
            return new WindowLogits(w, outputs.First(o => o.Name == "start_logits").AsTensor<float>().ToArray(),
                outputs.First(o => o.Name == "end_logits").AsTensor<float>().ToArray());
        }).ToList();
        var expected = new SquadPostProcessor(Decoding).Predict(example, logits);
        Assert.Equal(expected.Text, answer.PredictedAnswer);
        Assert.Equal(expected.NoAnswerProbability, answer.NoAnswerProbability, tolerance: 1e-5);
    }

    [Fact]
    public void Saved_pipeline_refuses_a_window_length_it_has_no_fixed_size_columns_for()
    {
        string directory = Path.Combine(dev.Directory, $"odd-{Guid.NewGuid():N}");
        using var bert = TorchRandom.Seeded(3, () => new BertQaModel(new BertConfig
        {
            HiddenSize = 16, NumLayers = 1, NumHeads = 2, IntermediateSize = 32, MaxPositionEmbeddings = 512,
        })
        { VocabularyPath = SharedAssets.BertVocab });
        bert.eval();
        string path = bert.ExportOnnx(Path.Combine(directory, "model.onnx"), new OnnxExportOptions
        {
            Featurizer = new() { MaxSequenceLength = 200, DocStride = 64, MaxQueryLength = 32 },
        }).Path;
        var pipeline = new OnnxQaPipeline(new MLContext(), path);
        var e = Assert.Throws<NotSupportedException>(() => pipeline.CreateEstimator());
        Assert.Contains("not 200", e.Message);
    }
}
