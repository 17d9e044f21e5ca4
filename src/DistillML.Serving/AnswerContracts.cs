namespace DistillML.Serving;

/// <summary>Body of <c>POST /answer</c>.</summary>
public sealed record AnswerRequest(string? Question, string? Context);

/// <summary>Reply of <c>POST /answer</c>; start/end are character offsets in the context (-1 when there is no answer).</summary>
public sealed record AnswerResponse(string Answer, int Start, int End, float Score, double NoAnswerProbability);

/// <summary>Reply of <c>GET /health</c>.</summary>
public sealed record HealthResponse(string Status, string Model, string Architecture, string WeightFormat, long Parameters, string ExecutionProvider);
