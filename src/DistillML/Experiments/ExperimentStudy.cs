using System.Text.Json;
using System.Text.Json.Nodes;
using DistillML.Tuning.Objectives;
using DistillML.Tuning.Storage;

namespace DistillML.Experiments;

/// <summary>The stored description of a distillation study: the problem, the teacher and the baseline trial.</summary>
internal static class ExperimentStudy
{
    public static StudyDefinition Definition(string name, TuningProblem problem, TeacherSummary teacher, bool baseline)
    {
        var json = new JsonObject
        {
            ["kind"] = "distillml-experiment",
            ["problem"] = JsonNode.Parse(StudyDefinition.FromProblem(name, problem).DescriptionJson),
            ["teacher"] = new JsonObject { ["parameters"] = teacher.Parameters, ["f1"] = teacher.F1, ["exact"] = teacher.ExactMatch },
            ["baseline_trial"] = baseline ? 0 : null,
        };
        return new StudyDefinition(name, problem.Objectives.Select(o => new StudyObjective(o.Name, o.Direction)), json.ToJsonString());
    }

    public static (TeacherSummary? Teacher, int? Baseline) Read(string descriptionJson)
    {
        try
        {
            var root = JsonNode.Parse(descriptionJson) as JsonObject;
            TeacherSummary? teacher = root?["teacher"] is JsonObject t && t["parameters"] is { } p
                ? new TeacherSummary(p.GetValue<long>(), t["f1"]?.GetValue<double>(), t["exact"]?.GetValue<double>())
                : null;
            return (teacher, root?["baseline_trial"]?.GetValue<int>());
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return (null, null);
        }
    }
}
