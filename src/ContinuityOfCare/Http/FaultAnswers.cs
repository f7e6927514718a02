using System.Globalization;
using System.Net.Sockets;
using JasperFx;
using Marten.Exceptions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace ContinuityOfCare.Http;

/// <summary>
/// What a caller gets when a request fails for something they or the environment did, instead of a 500: the
/// database unreachable (503, Retry-After), a journey too busy to take the write in time (503, Retry-After), a
/// request the web server gave up reading (Kestrel's 400/408/413). Anything else stays a bare 500.
/// </summary>
public sealed class FaultAnswers(IProblemDetailsService problems, ILogger<FaultAnswers> logger) : IExceptionHandler
{
    public const int DatabaseRetrySeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellation)
    {
        if (Classify(exception) is not { } fault)
        {
            return false;
        }

        logger.LogWarning("Answered {Status} ({Type}): {Message}", fault.Status, fault.Type, exception.Message);
        http.Response.StatusCode = fault.Status;
        if (fault.RetryAfterSeconds is { } seconds)
        {
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Type = Problems.TypeBase + fault.Type,
                Title = fault.Title,
                Status = fault.Status,
                Detail = fault.Detail,
            },
        });
    }

    public sealed record Fault(int Status, string Type, string Title, string Detail, int? RetryAfterSeconds);

    public static Fault? Classify(Exception exception) => exception switch
    {
        BadHttpRequestException bad => new Fault(
            bad.StatusCode,
            bad.StatusCode == StatusCodes.Status408RequestTimeout ? "request-timeout" : "bad-request",
            bad.StatusCode == StatusCodes.Status408RequestTimeout
                ? "The request was too slow"
                : "The request is malformed",
            bad.Message, null),
        // Marten's own word that a journey's stream is locked, or a version conflict on a path that does not lock.
        // A writer that queues on the lock past Npgsql's command timeout (30 s) is a timeout: database-unavailable.
        StreamLockedException or ConcurrencyException => new Fault(
            StatusCodes.Status503ServiceUnavailable, "journey-busy", "The journey is busy",
            "Other writes on this journey are in progress; nothing was recorded for this request. Try again.", 1),
        _ when IsDatabaseUnreachable(exception) => new Fault(
            StatusCodes.Status503ServiceUnavailable, "database-unavailable", "The database is unavailable",
            "The service cannot reach its database just now; nothing was recorded for this request. Try again.",
            DatabaseRetrySeconds),
        _ => null,
    };

    /// <summary>
    /// Connection failures, server shutdowns and timeouts, however Marten or Wolverine wrapped them; an error in a
    /// statement the database did run (a bug) is not one of them.
    /// </summary>
    private static bool IsDatabaseUnreachable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException postgres:
                    return postgres.IsTransient;
                case NpgsqlException or SocketException or TimeoutException:
                    return true;
            }
        }

        return false;
    }
}
