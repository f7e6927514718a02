using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using NodaTime;

namespace ContinuityOfCare.Http;

/// <summary>
/// Reads a JSON request body strictly, turning every way it can be wrong (not JSON, wrong type, unknown field,
/// unknown code, malformed date, too large) into a 400/413/415 problem that names the field. Endpoints read their
/// bodies through this rather than through Wolverine's binder, whose errors do not name the field.
/// </summary>
public static partial class RequestBody
{
    public const long MaxBytes = 64 * 1024;

    /// <summary>Reads the body, then checks it with the request's own rules as of <paramref name="today"/>.</summary>
    public static async Task<(T? Value, IResult? Problem)> ReadCheckedAsync<T>(
        HttpRequest request, LocalDate today, CancellationToken cancellation)
        where T : class, ICheckedRequest
    {
        var (body, problem) = await ReadAsync<T>(request, cancellation);
        if (problem is not null)
        {
            return (null, problem);
        }

        var errors = body!.Errors(today);
        return errors.Any ? (null, Problems.Invalid(errors)) : (body, null);
    }

    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(
        HttpRequest request, CancellationToken cancellation)
        where T : class
    {
        var contentType = request.ContentType;
        if (!string.IsNullOrEmpty(contentType) && !IsJson(contentType))
        {
            return (null, Problems.UnsupportedMediaType(contentType));
        }

        if (request.ContentLength > MaxBytes)
        {
            return (null, Problems.TooLarge(MaxBytes));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellation)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return (null, Problems.TooLarge(MaxBytes));
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return (null, Problems.Invalid("body", "a JSON object is required"));
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(
                buffer.GetBuffer().AsSpan(0, (int)buffer.Length), ApiJson.Options);
            return value is null
                ? (null, Problems.Invalid("body", "a JSON object is required, not null"))
                : (value, null);
        }
        catch (JsonException e)
        {
            var (field, message) = Explain<T>(e);
            return (null, Problems.Invalid(field, message));
        }
    }

    private static bool IsJson(string contentType) =>
        contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) ||
        contentType.Contains("+json", StringComparison.OrdinalIgnoreCase);

    private static (string Field, string Message) Explain<T>(JsonException e)
    {
        var unmapped = UnmappedProperty().Match(e.Message);
        if (unmapped.Success)
        {
            return (unmapped.Groups[1].Value, "is not a field of this request");
        }

        var field = FieldFromPath(e.Path);
        if (field == "body")
        {
            return ("body", e.Message.Contains("could not be converted", StringComparison.Ordinal)
                ? "must be a JSON object"
                : $"is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine})");
        }

        // Our converters throw messages written for people ("must be a date as YYYY-MM-DD"); keep those.
        if (e.Message.StartsWith("must be", StringComparison.Ordinal))
        {
            return (field, e.Message);
        }

        // A conversion failure names a value of the wrong type; anything else is broken JSON syntax.
        if (!e.Message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return ("body", $"is not valid JSON (at {field}, line {e.LineNumber + 1}, byte {e.BytePositionInLine})");
        }

        var property = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .FirstOrDefault(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name) == field.Split('.')[0]);
        return (field, property is null ? "is not valid JSON here" : Expected(property.PropertyType));
    }

    private static string Expected(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum)
        {
            var allowed = Enum.GetNames(type).Select(ApiJson.Code);
            return $"must be one of: {string.Join(", ", allowed)}";
        }

        return type switch
        {
            _ when type == typeof(string) => "must be a string",
            _ when type == typeof(int) || type == typeof(long) => "must be a whole number",
            _ when type == typeof(bool) => "must be true or false",
            _ when type == typeof(LocalDate) => Fields.NotADate,
            _ => "has the wrong type",
        };
    }

    /// <summary>"$.release.releasedOn" → "release.releasedOn"; "$" → "body".</summary>
    private static string FieldFromPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }

        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return field.Length == 0 ? "body" : field;
    }

    [GeneratedRegex("The JSON property '([^']*)' could not be mapped")]
    private static partial Regex UnmappedProperty();
}

/// <summary>A request body that knows which of its fields are missing or out of range.</summary>
public interface ICheckedRequest
{
    ValidationErrors Errors(LocalDate today);
}
