using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace DistillML.Onnx.Tests.Service;

public sealed class OnnxQaServiceTests(ServedModel served) : IClassFixture<ServedModel>
{
    private HttpClient Client => served.Service.Client;

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Health_reports_the_model_and_provider()
    {
        var health = await Client.GetFromJsonAsync<JsonElement>("/health");
        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.Equal("BertForQuestionAnswering", health.GetProperty("architecture").GetString());
        Assert.Equal("CPUExecutionProvider", health.GetProperty("executionProvider").GetString());
    }

    [Fact]
    public async Task Answer_returns_the_same_span_as_the_library()
    {
        var q = served.Model.Questions[3];
        var response = await Client.PostAsJsonAsync("/answer", new { question = q.Question, context = q.Context });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        using var qa = new OnnxQuestionAnswerer(served.Model.ModelPath);
        var expected = qa.Answer(q.Question, q.Context);
        Assert.Equal(expected.Text, body.GetProperty("answer").GetString());
        Assert.Equal(expected.Start, body.GetProperty("start").GetInt32());
        Assert.Equal(expected.End, body.GetProperty("end").GetInt32());
        Assert.Equal(expected.NoAnswerProbability, body.GetProperty("noAnswerProbability").GetDouble(), 6);
        Assert.True(body.TryGetProperty("score", out _));
    }

    [Theory]
    [InlineData("{\"context\": \"Paris is in France.\"}", "'question'")]
    [InlineData("{\"question\": \"Where is Paris?\"}", "'context'")]
    [InlineData("{\"question\": \"\", \"context\": \"x\"}", "'question'")]
    [InlineData("{\"question\": 5, \"context\": \"x\"}", "not valid UTF-8 JSON")]
    [InlineData("{\"question\": \"Where", "not valid UTF-8 JSON")]
    [InlineData("null", "JSON object")]
    [InlineData("[]", "not valid UTF-8 JSON")]
    public async Task Malformed_requests_get_400_naming_the_problem(string json, string expected)
    {
        var response = await Client.PostAsync("/answer", Json(json));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_one_megabyte_context_gets_413_and_the_service_keeps_serving()
    {
        string context = new('a', 1024 * 1024);
        var response = await Client.PostAsJsonAsync("/answer", new { question = "What?", context });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("'context' has 1048576 characters", await response.Content.ReadAsStringAsync());
        Assert.True((await Client.GetAsync("/health")).IsSuccessStatusCode);
    }

    [Fact]
    public async Task A_body_that_is_not_utf8_gets_400()
    {
        byte[] latin1 = Encoding.Latin1.GetBytes("{\"question\": \"Qu\u00e9?\", \"context\": \"Caf\u00e9 cr\u00e8me.\"}");
        var content = new ByteArrayContent(latin1);
        content.Headers.ContentType = new("application/json");
        var response = await Client.PostAsync("/answer", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("UTF-8", await response.Content.ReadAsStringAsync());
        Assert.False(served.Service.HasExited);
    }

    [Fact]
    public async Task A_body_that_is_not_json_gets_415()
    {
        var response = await Client.PostAsync("/answer", new StringContent("question=x", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task A_json_body_declared_in_another_charset_gets_415_naming_it()
    {
        var content = new ByteArrayContent(Encoding.Latin1.GetBytes("{\"question\": \"Caf\u00e9?\", \"context\": \"Un caf\u00e9.\"}"));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "iso-8859-1" };
        var response = await Client.PostAsync("/answer", content);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("iso-8859-1", await response.Content.ReadAsStringAsync());
        Assert.True((await Client.PostAsync("/answer", Json("{\"question\": \"Who?\", \"context\": \"Ann wrote it.\"}"))).IsSuccessStatusCode);
    }

    [Fact]
    public async Task A_body_over_the_byte_limit_gets_413()
    {
        // Expect: 100-continue lets the client hear the 413 before it streams the whole body (Kestrel then closes the connection).
        using var request = new HttpRequestMessage(HttpMethod.Post, "/answer")
        {
            Content = Json("{\"question\": \"q\", \"context\": \"" + new string('b', 5 * 1024 * 1024) + "\"}"),
        };
        request.Headers.ExpectContinue = true;
        var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.True((await Client.GetAsync("/health")).IsSuccessStatusCode);
    }
}
