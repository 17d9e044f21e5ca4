// OnnxQaService: serves an exported DistillML student over HTTP on loopback.
//   dotnet run --project examples/OnnxQaService -- --model student/model.onnx --urls http://127.0.0.1:5080
//   POST /answer {"question": "...", "context": "..."} -> {"answer", "start", "end", "score", "noAnswerProbability"}
//   GET  /health -> {"status": "ok", ...}
using DistillML.Onnx;
using OnnxQaService;

var builder = WebApplication.CreateBuilder(args);
var options = ServiceOptions.From(builder.Configuration);
if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls("http://127.0.0.1:5080"); // loopback unless told otherwise
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.MaxBodyBytes);
builder.Services.AddProblemDetails();
builder.Services.AddSingleton(options);
builder.Services.AddSingleton(services =>
{
    var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("OnnxQuestionAnswerer");
    return new OnnxQuestionAnswerer(options.ModelPath, new OnnxQuestionAnswererOptions
    {
        VocabPath = options.VocabPath, Log = message => logger.LogInformation("{Message}", message),
    });
});

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
var qa = app.Services.GetRequiredService<OnnxQuestionAnswerer>(); // load the model before accepting requests

app.MapGet("/health", () => Results.Ok(new HealthResponse("ok", qa.ModelPath, qa.Metadata.Architecture, qa.Metadata.WeightFormat,
    qa.Metadata.ParameterCount, qa.ExecutionProvider)));
app.MapPost("/answer", AnswerEndpoint.Handle);
app.Run();
