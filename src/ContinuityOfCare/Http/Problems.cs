using Microsoft.AspNetCore.Mvc;

namespace ContinuityOfCare.Http;

/// <summary>RFC 7807 answers. Every one that is about the request names the offending field.</summary>
public static class Problems
{
    public const string TypeBase = "https://continuity-of-care/problems/";

    public static IResult Invalid(ValidationErrors errors) =>
        Results.Problem(new ValidationProblemDetails(errors.ToDictionary())
        {
            Type = TypeBase + "invalid-request",
            Title = "The request is invalid",
            Status = StatusCodes.Status400BadRequest,
            Detail = errors.Describe(),
        });

    public static IResult Invalid(string field, string message) => Invalid(new ValidationErrors().Add(field, message));

    /// <summary>
    /// No endpoint at that path: 404 whoever asks, so a path's existence is no secret kept behind a token.
    /// </summary>
    public static IResult UnknownPath(string path) =>
        Problem("not-found", "Not found", StatusCodes.Status404NotFound, $"There is nothing at {path}.");

    public static IResult UnknownJourney(Guid journeyId) => UnknownJourney(NoSuchJourney(journeyId));

    public static IResult UnknownJourney(string detail) =>
        Problem("unknown-journey", "Unknown journey", StatusCodes.Status404NotFound, detail);

    public static string NoSuchJourney(Guid journeyId) => $"There is no journey {journeyId}.";

    /// <summary>
    /// The request is well-formed but the journey's state (or an earlier request) does not allow it.
    /// </summary>
    public static IResult Conflict(string field, string message) =>
        Problem("conflict", "The request conflicts with the journey's state", StatusCodes.Status409Conflict,
            $"{field}: {message}", field);

    /// <summary>The caller is known, but this journey, list or table is not theirs to see or act on.</summary>
    public static IResult Forbidden(string detail) =>
        Problem("forbidden", "Not yours", StatusCodes.Status403Forbidden, detail);

    public static IResult TooManyRequests() =>
        Problem("too-many-requests", "Too many requests", StatusCodes.Status429TooManyRequests,
            "Slow down: this caller has used its requests for now.");

    public static IResult UnsupportedMediaType(string? contentType, string expected = "application/json") =>
        Problem("unsupported-media-type", "Unsupported media type", StatusCodes.Status415UnsupportedMediaType,
            $"The body must be {expected}, not '{contentType}'.");

    public static IResult TooLarge(long limit) =>
        Problem("too-large", "Request body too large", StatusCodes.Status413PayloadTooLarge,
            $"The body may be at most {limit} bytes.");

    public static IResult HeadersTooLarge(int limit) =>
        Problem("headers-too-large", "Request headers too large", StatusCodes.Status431RequestHeaderFieldsTooLarge,
            $"The request's headers may be at most {limit} bytes together.");

    private static IResult Problem(string type, string title, int status, string detail, string? field = null)
    {
        var problem = new ProblemDetails { Type = TypeBase + type, Title = title, Status = status, Detail = detail };
        if (field is not null)
        {
            problem.Extensions["field"] = field;
        }

        return Results.Problem(problem);
    }
}

/// <summary>Field name to messages, in the order found.</summary>
public sealed class ValidationErrors
{
    private readonly List<(string Field, string Message)> _errors = [];

    public bool Any => _errors.Count > 0;

    /// <summary>Runs one more check: for requests whose rules fit on a line.</summary>
    public ValidationErrors Also(Action<ValidationErrors> check)
    {
        check(this);
        return this;
    }

    public ValidationErrors Add(string field, string message)
    {
        _errors.Add((field, message));
        return this;
    }

    public Dictionary<string, string[]> ToDictionary() =>
        _errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());

    public string Describe() => string.Join("; ", _errors.Select(e => $"{e.Field}: {e.Message}"));
}
