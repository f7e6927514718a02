using System.Diagnostics;

namespace ContinuityOfCare.Http;

/// <summary>
/// One id per request, the same in the events it records, its problem answers, its logs and its X-Correlation-Id
/// response header: the caller's X-Correlation-Id when it gives a usable one, else the W3C trace id, so a user who
/// reports an error can be matched to what was recorded.
/// </summary>
public static class Correlation
{
    public const string Header = "X-Correlation-Id";

    public static string Of(HttpContext http)
    {
        var given = http.Request.Headers[Header].ToString();
        return given.Length is > 0 and <= 100 && given.All(c => c is >= '!' and <= '~')
            ? given
            : Activity.Current?.TraceId.ToHexString() ?? http.TraceIdentifier;
    }

    /// <summary>Echoes the id to the caller and puts it on every log line the request writes.</summary>
    public static void UseCorrelation(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ContinuityOfCare.Requests");
        app.Use(async (http, next) =>
        {
            var id = Of(http);
            http.Response.Headers[Header] = id;
            using (logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = id }))
            {
                await next(http);
            }
        });
    }

    /// <summary>
    /// Problem answers carry the id as both `correlationId` and `traceId` (which would otherwise differ).
    /// </summary>
    public static void AddToProblems(ProblemDetailsOptions options) =>
        options.CustomizeProblemDetails = context =>
        {
            var id = Of(context.HttpContext);
            context.ProblemDetails.Extensions["correlationId"] = id;
            context.ProblemDetails.Extensions["traceId"] = id;
        };
}
