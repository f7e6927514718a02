using System.Text.RegularExpressions;
using ContinuityOfCare.Continuity;
using NodaTime;

namespace ContinuityOfCare.Http;

/// <summary>Checks shared by every request: presence, codes, references, dates that cannot be in the future.</summary>
public static partial class Fields
{
    public static void Required<T>(this ValidationErrors errors, string field, T? value)
        where T : struct
    {
        if (value is null)
        {
            errors.Add(field, "is required");
        }
    }

    /// <summary>Organisation and area codes (prison, local authority, provider): short, no spaces.</summary>
    public static void Code(this ValidationErrors errors, string field, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            errors.Add(field, "is required");
        }
        else if (!CodePattern().IsMatch(value))
        {
            errors.Add(field, "must be 1 to 32 letters, digits, '-' or '_'");
        }
    }

    /// <summary>Callers' references (journey, person): printable text, no control characters.</summary>
    public static void Reference(this ValidationErrors errors, string field, string? value, int maxLength = 100)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, "is required");
        }
        else if (value.Length > maxLength)
        {
            errors.Add(field, $"must be at most {maxLength} characters");
        }
        else if (value.Any(char.IsControl) || value != value.Trim())
        {
            errors.Add(field, "must not contain control characters or leading or trailing spaces");
        }
    }

    /// <summary>
    /// No business date the service records or reports is earlier: the national continuity figures start long after,
    /// and a bound keeps date arithmetic (windows, periods) far from the calendar's ends.
    /// </summary>
    public static readonly LocalDate EarliestDate = new(2000, 1, 1);

    /// <summary>How far ahead a planned date (a release, an appointment) may lie.</summary>
    public const int PlannedYearsAhead = 5;

    /// <summary>
    /// A business date of something that has happened: required, and not after today in Europe/London.
    /// </summary>
    public static void PastDate(this ValidationErrors errors, string field, LocalDate? value, LocalDate today)
    {
        if (value is null)
        {
            errors.Add(field, "is required");
        }
        else if (value < EarliestDate)
        {
            errors.Add(field, TooEarly);
        }
        else if (value > today)
        {
            errors.Add(field, $"is after today ({today.Iso()} in Europe/London): record what has happened");
        }
    }

    /// <summary>A date that may lie ahead (a planned release, an appointment), within reason.</summary>
    public static void PlannedDate(this ValidationErrors errors, string field, LocalDate? value, LocalDate today)
    {
        if (value is null)
        {
            errors.Add(field, "is required");
        }
        else if (value < EarliestDate)
        {
            errors.Add(field, TooEarly);
        }
        else if (value > today.PlusYears(PlannedYearsAhead))
        {
            errors.Add(field, $"is more than five years after today ({today.Iso()})");
        }
    }

    /// <summary>What a malformed date is told, wherever it is read (body, query string or form).</summary>
    public const string NotADate = "must be a date as YYYY-MM-DD";

    public static string TooEarly { get; } = $"is before {EarliestDate.Iso()}, the earliest date the service records";

    // \z, not $: .NET's $ also matches before a final "\n", which let "FORWARD-LEEDS\n" through as a code.
    [GeneratedRegex(@"\A[A-Za-z0-9_-]{1,32}\z")]
    private static partial Regex CodePattern();
}
