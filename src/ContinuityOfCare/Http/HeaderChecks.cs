using System.Text;

namespace ContinuityOfCare.Http;

/// <summary>
/// Header checks Kestrel would otherwise make itself, answering with an empty 400 or 431 before the application
/// runs: Kestrel is set to let such requests through (a larger header budget, header values read as Latin-1) and
/// this middleware refuses them with a problem+json that says what is wrong.
/// </summary>
public static class HeaderChecks
{
    /// <summary>Kestrel's own default budget for all request headers together.</summary>
    public const int MaxHeaderBytes = 32 * 1024;

    public static void ConfigureKestrel(WebApplicationBuilder builder) =>
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestHeadersTotalSize = 2 * MaxHeaderBytes;
            kestrel.RequestHeaderEncodingSelector = _ => Encoding.Latin1;
        });

    public static void UseHeaderChecks(this WebApplication app) =>
        app.Use(async (http, next) =>
        {
            var size = 0;
            foreach (var (name, values) in http.Request.Headers)
            {
                foreach (var value in values)
                {
                    size += name.Length + (value?.Length ?? 0) + 4;
                    if (value is not null && value.Any(c => c is > '~' or (< ' ' and not '\t')))
                    {
                        await Problems.Invalid(name, "must be printable ASCII").ExecuteAsync(http);
                        return;
                    }
                }
            }

            if (size > MaxHeaderBytes)
            {
                await Problems.HeadersTooLarge(MaxHeaderBytes).ExecuteAsync(http);
                return;
            }

            await next(http);
        });
}
