using System.Reflection;
using DistillML.Text.Squad;
using DistillML.Torch.Training;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit.Abstractions;

namespace DistillML.Tests;

[Collection(TinyTeacherCollection.Name)]
public sealed class DistillBertTests(TinyTeacherFixture fixture, ITestOutputHelper output)
{
    readonly MLContext ml = new(seed: 1);

    [Fact]
    public void Fit_distils_a_student_that_answers_one_row_per_question_and_is_evaluated_with_the_squad_metric()
    {
        var train = ml.Data.LoadFromSquadExamples(fixture.Train);
        var dev = ml.Data.LoadFromSquadExamples(fixture.Dev);
        var options = fixture.Options(steps: 40);
        options.ValidationData = dev;
        options.EvaluateEverySteps = 20;
        var reports = new List<TrainingProgress>();
        options.Progress = new SynchronousProgress(reports.Add);

        using var student = ml.Transforms.DistillBert(fixture.Teacher, options).Fit(train);
        var scored = student.Transform(dev);
        var metrics = ml.QuestionAnswering().Evaluate(scored);
        using var teacher = ml.Transforms.BertQuestionAnswering(fixture.Teacher, fixture.Inference).Fit(dev);
        var teacherMetrics = ml.QuestionAnswering().Evaluate(teacher.Transform(dev));
        output.WriteLine($"student {student.ParameterCount:N0} params EM {metrics.Exact:F1} F1 {metrics.F1:F1}; teacher {teacher.ParameterCount:N0} EM {teacherMetrics.Exact:F1} F1 {teacherMetrics.F1:F1}; fit {student.TrainingReport.WallTime}");

        Assert.Equal(fixture.Dev.Count, scored.GetColumn<string>("PredictedAnswer").Count());
        Assert.Equal(fixture.Dev.Select(e => e.Id), scored.GetColumn<string>("Id"));        // input columns pass through, in order
        Assert.All(scored.GetColumn<float>("NoAnswerProbability"), p => Assert.InRange(p, 0f, 1f));
        Assert.Equal(SquadVersion.V1_1, metrics.Version);
        Assert.Equal(fixture.Dev.Count, metrics.Total);
        var report = student.TrainingReport;
        Assert.Equal(40, report.LossCurve.Count);
        Assert.Equal([20, 40], report.Evaluations.Select(e => e.Step));
        Assert.Equal(report.Evaluations.Max(e => e.F1), report.BestDevF1);
        Assert.Equal(report.BestDevF1!.Value, metrics.F1, 6); // the best student is the one kept
        Assert.True(report.WallTime > TimeSpan.Zero);
        Assert.True(student.ParameterCount < fixture.Teacher.ParameterCount);
        Assert.Equal(student.ParameterCount, report.StudentParameters);
        Assert.Contains(reports, r => r.Phase == "distill");
        Assert.Contains(reports, r => r.Phase == "teacher-logits");
    }

    [Fact]
    public void Evaluate_reports_hasans_noans_and_best_thresholds_for_squad2_data()
    {
        var dev = ml.Data.LoadFromSquadExamples(fixture.DevV2);
        var options = fixture.Inference;
        options.AllowNoAnswer = true;
        using var model = ml.Transforms.BertQuestionAnswering(fixture.Teacher, options).Fit(dev);
        var metrics = ml.QuestionAnswering().Evaluate(model.Transform(dev));
        Assert.Equal(SquadVersion.V2_0, metrics.Version);
        Assert.NotNull(metrics.HasAns);
        Assert.NotNull(metrics.NoAns);
        Assert.NotNull(metrics.BestF1);
        Assert.NotNull(metrics.BestF1Threshold);
        Assert.Equal(fixture.DevV2.Count, metrics.HasAns!.Total + metrics.NoAns!.Total);
    }

    [Fact]
    public void Plain_inference_from_a_checkpoint_directory_matches_the_predictor()
    {
        var dev = ml.Data.LoadFromSquadExamples(fixture.Dev);
        using var fromDirectory = ml.Transforms.BertQuestionAnswering(fixture.TeacherDirectory, fixture.Inference).Fit(dev);
        var answers = fromDirectory.Transform(dev).GetColumn<string>("PredictedAnswer").ToList();
        var predictor = new Torch.QuestionAnswering.BertQaPredictor(fixture.Teacher, fromDirectory.Featurizer, new Text.Decoding.PostProcessingOptions { AllowNoAnswer = false });
        var expected = predictor.Predict(fixture.Dev);
        Assert.Equal(fixture.Dev.Select(e => expected[e.Id].Text), answers);
    }

    [Fact]
    public void Saved_student_loads_back_with_the_same_answers_and_report()
    {
        var train = ml.Data.LoadFromSquadExamples(fixture.Train);
        var dev = ml.Data.LoadFromSquadExamples(fixture.Dev);
        using var student = ml.Transforms.DistillBert(fixture.TeacherDirectory, fixture.Options(steps: 10)).Fit(train);
        string directory = Path.Combine(fixture.Root, $"student-{Guid.NewGuid():N}");
        ml.Model.SaveDistilled(student, directory);
        foreach (var file in new[] { "config.json", "model.safetensors", "vocab.txt", "distillml.json" })
            Assert.True(File.Exists(Path.Combine(directory, file)), file);

        using var loaded = Assert.IsType<DistilledBertTransformer>(ml.Model.LoadDistilled(directory));
        Assert.Equal(student.Transform(dev).GetColumn<string>("PredictedAnswer"), loaded.Transform(dev).GetColumn<string>("PredictedAnswer"));
        Assert.Equal(student.TrainingReport.LossCurve, loaded.TrainingReport.LossCurve);
        Assert.Equal(student.ParameterCount, loaded.ParameterCount);
        Assert.Equal(Torch.Modeling.ModelFamily.DistilBert, loaded.Student.Config.Family);
    }

    [Fact]
    public void Mlnet_model_save_explains_why_it_cannot_and_what_to_use()
    {
        using var model = ml.Transforms.BertQuestionAnswering(fixture.Teacher, fixture.Inference).Fit(ml.Data.LoadFromSquadExamples(fixture.Dev));
        var e = Assert.Throws<NotSupportedException>(() => ml.Model.Save(model, ml.Data.LoadFromSquadExamples(fixture.Dev).Schema, Path.Combine(fixture.Root, "model.zip")));
        Assert.Contains("SaveDistilled", e.Message);
        Assert.Contains("internal", e.Message);
    }

    [Fact]
    public void A_missing_column_is_named_with_the_option_that_sets_it()
    {
        var data = ml.Data.LoadFromEnumerable(new[] { new NoContextRow() });
        var e = Assert.Throws<ArgumentException>(() => ml.Transforms.DistillBert(fixture.Teacher, fixture.Options()).Fit(data));
        Assert.Contains("'Context'", e.Message);
        Assert.Contains(nameof(QaColumnOptions.ContextColumnName), e.Message);
        using var plain = ml.Transforms.BertQuestionAnswering(fixture.Teacher, fixture.Inference).Fit(ml.Data.LoadFromSquadExamples(fixture.Dev));
        Assert.Throws<ArgumentException>(() => plain.GetOutputSchema(data.Schema));
    }

    [Fact]
    public void A_column_of_the_wrong_type_is_named_with_both_types()
    {
        var data = ml.Data.LoadFromEnumerable(new[] { new NumericQuestionRow() });
        using var plain = ml.Transforms.BertQuestionAnswering(fixture.Teacher, fixture.Inference).Fit(ml.Data.LoadFromSquadExamples(fixture.Dev));
        var e = Assert.Throws<InvalidOperationException>(() => plain.Transform(data));
        Assert.Contains("'Question'", e.Message);
        Assert.Contains("text", e.Message);
        Assert.Contains("Single", e.Message);
    }

    [Fact]
    public void Estimator_schema_propagation_checks_inputs_and_adds_the_output_columns()
    {
        var shape = ShapeOf(ml.Data.LoadFromSquadExamples(fixture.Dev).Schema);
        var output = ml.Transforms.DistillBert(fixture.Teacher, fixture.Options()).GetOutputSchema(shape);
        var answer = output.Single(c => c.Name == "PredictedAnswer");
        Assert.Equal(TextDataViewType.Instance, answer.ItemType);
        Assert.Equal(NumberDataViewType.Single, output.Single(c => c.Name == "Score").ItemType);
        Assert.Equal(NumberDataViewType.Single, output.Single(c => c.Name == "NoAnswerProbability").ItemType);
        Assert.Contains(output, c => c.Name == "Answers");
        var noAnswers = ShapeOf(ml.Data.LoadFromEnumerable(new[] { new NoAnswersRow() }).Schema);
        var e = Assert.Throws<ArgumentException>(() => ml.Transforms.DistillBert(fixture.Teacher, fixture.Options()).GetOutputSchema(noAnswers));
        Assert.Contains("'Answers'", e.Message);
    }

    [Fact]
    public void Custom_column_names_are_read_and_written()
    {
        var rows = fixture.Dev.Take(10).Select(e => new PassageRow { Passage = e.Context, Ask = e.Question }).ToList();
        var options = fixture.Inference;
        options.ContextColumnName = "Passage";
        options.QuestionColumnName = "Ask";
        options.PredictedAnswerColumnName = "Reply";
        var data = ml.Data.LoadFromEnumerable(rows);
        using var model = ml.Transforms.BertQuestionAnswering(fixture.Teacher, options).Fit(data);
        var replies = model.Transform(data).GetColumn<string>("Reply").ToList();
        Assert.Equal(10, replies.Count);
        Assert.All(replies.Zip(rows), p => Assert.Contains(p.First, p.Second.Passage));
    }

    [Fact]
    public void A_cancelled_fit_stops()
    {
        var options = fixture.Options(steps: 500);
        options.CancellationToken = new CancellationToken(canceled: true);
        Assert.ThrowsAny<OperationCanceledException>(() => ml.Transforms.DistillBert(fixture.Teacher, options).Fit(ml.Data.LoadFromSquadExamples(fixture.Train)));
    }

    [Fact]
    public void A_student_wider_in_positions_than_the_windows_allow_is_refused_up_front()
    {
        var options = fixture.Options();
        options.MaxSequenceLength = 256; // the tiny teacher has 128 positions
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.DistillBert(fixture.Teacher, options));
        Assert.Contains("max_position_embeddings", e.Message);
    }

    // SchemaShape.Create(DataViewSchema) is internal in ML.NET 5.0.1; EstimatorChain uses it the same way.
    static SchemaShape ShapeOf(DataViewSchema schema) =>
        (SchemaShape)typeof(SchemaShape).GetMethod("Create", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic, [typeof(DataViewSchema)])!.Invoke(null, [schema])!;

    sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }

    public sealed class NoContextRow
    {
        public string Id { get; set; } = "q";
        public string Question { get; set; } = "Why?";
        public string[] Answers { get; set; } = ["because"];
        public int[] AnswerStarts { get; set; } = [0];
    }

    public sealed class NumericQuestionRow
    {
        public string Context { get; set; } = "text";
        public float Question { get; set; }
    }

    public sealed class NoAnswersRow
    {
        public string Context { get; set; } = "text";
        public string Question { get; set; } = "Why?";
    }

    public sealed class PassageRow
    {
        public string Passage { get; set; } = "";
        public string Ask { get; set; } = "";
    }
}
