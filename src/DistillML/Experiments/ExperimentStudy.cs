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

    /// <summary>
    /// The teacher and baseline a distillation study recorded; (null, null) for a study another tool created (its
    /// description has another "kind"). A description that is not JSON, or a distillation description with malformed
    /// fields, is a damaged store and an error naming the study.
    /// </summary>
    /// <exception cref="TrialStoreException">The description is damaged.</exception>
    public static (TeacherSummary? Teacher, int? Baseline) Read(string studyName, string descriptionJson)
    {
        JsonObject? root;
        try
        {
            root = JsonNode.Parse(descriptionJson) as JsonObject;
        }
        catch (JsonException e)
        {
            throw new TrialStoreException($"Study '{studyName}': its stored description is not valid JSON ({e.Message}).", e);
        }
        try
        {
            if (root?["kind"] is not JsonValue kind || kind.GetValue<string>() != "distillml-experiment") return (null, null);
            TeacherSummary? teacher = root["teacher"] is JsonObject t && t["parameters"] is { } p
                ? new TeacherSummary(p.GetValue<long>(), t["f1"]?.GetValue<double>(), t["exact"]?.GetValue<double>())
                : null;
            return (teacher, root["baseline_trial"]?.GetValue<int>());
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new TrialStoreException($"Study '{studyName}': malformed teacher or baseline_trial in its stored description ({e.Message}).", e);
        }
    }
}
