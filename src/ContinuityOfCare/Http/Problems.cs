using Microsoft.AspNetCore.Mvc;

namespace ContinuityOfCare.Http;

/// <summary>RFC 7807 answers. Every one that is about the request names the offending field.</summary>
public static class Problems
{
    public static IResult Invalid(ValidationErrors errors) =>
        Results.Problem(new ValidationProblemDetails(errors.ToDictionary())
        {
            Type = "https://continuity-of-care/problems/invalid-request",
            Title = "The request is invalid",
            Status = StatusCodes.Status400BadRequest,
            Detail = errors.Describe(),
        });

    public static IResult Invalid(string field, string message) => Invalid(new ValidationErrors().Add(field, message));

    public static IResult UnknownJourney(Guid journeyId) =>
        Results.Problem(new ProblemDetails
        {
            Type = "https://continuity-of-care/problems/unknown-journey",
            Title = "Unknown journey",
            Status = StatusCodes.Status404NotFound,
            Detail = $"There is no journey {journeyId}.",
        });

    /// <summary>The request is well-formed but the journey's state (or an earlier request) does not allow it.</summary>
    public static IResult Conflict(string field, string message) =>
        Results.Problem(new ProblemDetails
        {
            Type = "https://continuity-of-care/problems/conflict",
            Title = "The request conflicts with the journey's state",
            Status = StatusCodes.Status409Conflict,
            Detail = $"{field}: {message}",
            Extensions = { ["field"] = field },
        });

    public static IResult UnsupportedMediaType(string? contentType) =>
        Results.Problem(new ProblemDetails
        {
            Type = "https://continuity-of-care/problems/unsupported-media-type",
            Title = "Unsupported media type",
            Status = StatusCodes.Status415UnsupportedMediaType,
            Detail = $"The body must be application/json, not '{contentType}'.",
        });

    public static IResult TooLarge(long limit) =>
        Results.Problem(new ProblemDetails
        {
            Type = "https://continuity-of-care/problems/too-large",
            Title = "Request body too large",
            Status = StatusCodes.Status413PayloadTooLarge,
            Detail = $"The body may be at most {limit} bytes.",
        });
}

/// <summary>Field name to messages, in the order found.</summary>
public sealed class ValidationErrors
{
    private readonly List<(string Field, string Message)> _errors = [];

    public bool Any => _errors.Count > 0;

    public ValidationErrors Add(string field, string message)
    {
        _errors.Add((field, message));
        return this;
    }

    public Dictionary<string, string[]> ToDictionary() =>
        _errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());

    public string Describe() => string.Join("; ", _errors.Select(e => $"{e.Field}: {e.Message}"));
}
