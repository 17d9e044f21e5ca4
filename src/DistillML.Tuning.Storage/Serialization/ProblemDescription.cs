using System.Globalization;
using System.Text.Json.Nodes;
using DistillML.Tuning.Objectives;
using DistillML.Tuning.SearchSpace;

namespace DistillML.Tuning.Storage.Serialization;

/// <summary>A readable JSON description of a <see cref="TuningProblem"/> (the studies table's description column).</summary>
internal static class ProblemDescription
{
    public static string ToJson(TuningProblem problem) => new JsonObject
    {
        ["space"] = Space(problem.Space),
        ["objectives"] = new JsonArray(problem.Objectives.Select(o => (JsonNode)new JsonObject
        {
            ["name"] = o.Name,
            ["direction"] = o.Direction.ToString(),
            ["kind"] = o.Kind.ToString(),
            ["reference"] = o.ReferenceValue,
        }).ToArray()),
        ["constraints"] = new JsonArray(problem.Constraints.Select(c => (JsonNode)new JsonObject
        {
            ["name"] = c.Name,
            ["sense"] = c.Sense.ToString(),
            ["bound"] = c.Bound,
            ["kind"] = c.Kind.ToString(),
        }).ToArray()),
    }.ToJsonString();

    private static JsonArray Space(SearchSpace.SearchSpace space) =>
        new(space.Dimensions.Select(Dimension).ToArray());

    private static JsonNode Dimension(SearchDimension d)
    {
        var node = new JsonObject { ["name"] = d.Name, ["type"] = d.GetType().Name };
        switch (d)
        {
            case IntegerRange r:
                node["min"] = r.Min;
                node["max"] = r.Max;
                node["log"] = r.LogScale;
                break;
            case FloatRange r:
                node["min"] = r.Min;
                node["max"] = r.Max;
                node["log"] = r.LogScale;
                break;
            case ChoiceDimension c:
                node["values"] = new JsonArray(c.Values.Select(v => JsonValue.Create(Convert.ToString(v, CultureInfo.InvariantCulture))).ToArray<JsonNode?>());
                node["ordered"] = c.Ordered;
                break;
            case NestedGroup g:
                node["space"] = Space(g.Space);
                node["activeWhen"] = g.ActiveWhen;
                break;
        }

        node["default"] = d.Default is Parameter p ? ParameterJson.Serialize(p) : Convert.ToString(d.Default, CultureInfo.InvariantCulture);
        return node;
    }
}
