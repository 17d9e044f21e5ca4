using System.Text.Json;
using DistillML.Onnx;
using Microsoft.AspNetCore.Http.Features;

namespace DistillML.Serving;

/// <summary><c>POST /answer</c>: validates the request and answers it; every bad request gets a 4xx problem reply.</summary>
public static class AnswerEndpoint
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Answers one request: 415 unless JSON, 400 for bad JSON or missing fields, 413 above the limits, else 200 with the answer.</summary>
    public static async Task<IResult> Handle(HttpRequest request, OnnxQuestionAnswerer qa, ServiceOptions limits, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
            return Problem(StatusCodes.Status415UnsupportedMediaType, "The body must be JSON (Content-Type: application/json).");
        // The body is read as UTF-8 (RFC 8259); a declared charset that is not UTF-8 would be decoded wrongly, so refuse it.
        if (Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType) && mediaType.Charset.HasValue
            && !mediaType.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !mediaType.Charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
            return Problem(StatusCodes.Status415UnsupportedMediaType, $"The body must be UTF-8 JSON; charset={mediaType.Charset} is not supported.");

        AnswerRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<AnswerRequest>(request.Body, Json, cancellationToken);
        }
        catch (JsonException e)
        {
            return Problem(StatusCodes.Status400BadRequest, $"The body is not valid UTF-8 JSON: {e.Message}");
        }
        catch (BadHttpRequestException e)
        {
            return Problem(e.StatusCode, e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? $"The body exceeds {limits.MaxBodyBytes} bytes." : e.Message);
        }

        if (body is null) return Problem(StatusCodes.Status400BadRequest, "The body must be a JSON object {\"question\": ..., \"context\": ...}.");
        if (string.IsNullOrWhiteSpace(body.Question)) return Problem(StatusCodes.Status400BadRequest, "Field 'question' is required and must be a non-empty string.");
        if (string.IsNullOrWhiteSpace(body.Context)) return Problem(StatusCodes.Status400BadRequest, "Field 'context' is required and must be a non-empty string.");
        if (body.Question.Length > limits.MaxQuestionCharacters)
            return Problem(StatusCodes.Status413PayloadTooLarge, $"Field 'question' has {body.Question.Length} characters; the limit is {limits.MaxQuestionCharacters}.");
        if (body.Context.Length > limits.MaxContextCharacters)
            return Problem(StatusCodes.Status413PayloadTooLarge, $"Field 'context' has {body.Context.Length} characters; the limit is {limits.MaxContextCharacters}.");

        var answer = qa.Answer(body.Question, body.Context, cancellationToken);
        return Results.Ok(new AnswerResponse(answer.Text, answer.Start, answer.End, answer.Score, answer.NoAnswerProbability));
    }

    private static IResult Problem(int status, string detail) => Results.Problem(detail: detail, statusCode: status);
}
