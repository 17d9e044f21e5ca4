using DistillML.Onnx.MlNet;
using DistillML.Text.Decoding;
using DistillML.Text.Features;
using DistillML.Text.Squad;
using DistillML.Torch.OnnxExport;
using Microsoft.ML;

namespace DistillML.Tests.Deployment;

[Collection(TinyTeacherCollection.Name)]
public sealed class SavedOnnxPipelineTests(TinyTeacherFixture fixture)
{
    [Fact]
    public void Model_save_and_load_of_an_exported_model_scores_like_the_torchsharp_transformer_in_the_squad_evaluation()
    {
        var windows = new FeaturizerOptions { MaxSequenceLength = 128, DocStride = 32, MaxQueryLength = 32 };
        string directory = Path.Combine(fixture.Root, $"saved-pipeline-{Guid.NewGuid():N}");
        string onnx = fixture.Teacher.ExportOnnx(Path.Combine(directory, "teacher.onnx"), new OnnxExportOptions { Featurizer = windows }).Path;
        var featurizer = BertFeaturizer.Create(new FeaturizerOptions
        {
            VocabPath = fixture.Teacher.VocabularyPath, MaxSequenceLength = 128, DocStride = 32, MaxQueryLength = 32,
        });
        // Questions whose context fits the saved pipeline's window budget, so both paths see every window.
        var questions = fixture.Dev.Where(q => featurizer.Featurize(q).Count <= QaWindowGeometry.Windows).ToList();
        Assert.True(questions.Count >= 40, $"{questions.Count} questions fit");

        var ml = new MLContext(seed: 1);
        IDataView dev = ml.Data.LoadFromSquadExamples(questions);
        var pipeline = new OnnxQaPipeline(ml, onnx, postProcessing: new PostProcessingOptions { AllowNoAnswer = false });
        string zip = Path.Combine(directory, "teacher.zip");
        ml.Model.Save(pipeline.CreateEstimator().Fit(dev), dev.Schema, zip);

        var fresh = new MLContext(seed: 2);
        fresh.ComponentCatalog.RegisterAssembly(typeof(OnnxQaPipeline).Assembly);
        var loaded = fresh.Model.Load(zip, out _);
        var viaSavedModel = fresh.QuestionAnswering().Evaluate(loaded.Transform(fresh.Data.LoadFromSquadExamples(questions)));

        using var torch = ml.Transforms.BertQuestionAnswering(fixture.Teacher, fixture.Inference).Fit(dev);
        var viaTorch = ml.QuestionAnswering().Evaluate(torch.Transform(dev));
        Assert.Equal(SquadVersion.V1_1, viaSavedModel.Version);
        Assert.Equal(questions.Count, viaSavedModel.Total);
        Assert.Equal(viaTorch.Exact, viaSavedModel.Exact, 6);
        Assert.Equal(viaTorch.F1, viaSavedModel.F1, 6);
        Assert.True(viaSavedModel.F1 > 0, "the trained teacher answers some questions");
    }
}
