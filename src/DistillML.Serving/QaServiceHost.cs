using DistillML.Onnx;

namespace DistillML.Serving;

/// <summary>
/// Builds the answer service: <c>POST /answer</c> and <c>GET /health</c> over one shared <see cref="OnnxQuestionAnswerer"/>,
/// bound to loopback unless <c>--urls</c> says otherwise. Used by this example's Program and by <c>distillml serve</c>.
/// </summary>
public static class QaServiceHost
{
    /// <summary>The web application for <paramref name="args"/> (<c>--model PATH</c> required; see <see cref="ServiceOptions"/>).</summary>
    public static WebApplication Build(string[] args)
    {
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
        return app;
    }
}
