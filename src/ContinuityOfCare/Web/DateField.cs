namespace ContinuityOfCare.Web;

/// <summary>
/// What was typed in a GOV.UK date input's three boxes (bound from "Name.Day", "Name.Month", "Name.Year"), kept as
/// typed so a form that comes back with an error shows it again.
/// </summary>
public sealed class DateParts
{
    public string? Day { get; set; }

    public string? Month { get; set; }

    public string? Year { get; set; }

    /// <summary>
    /// The boxes as the API's date text (YYYY-MM-DD), for the API's own parser to judge; null when all are empty.
    /// A missing or malformed box leaves text that parser refuses, so every bad date gets the API's one message.
    /// </summary>
    public string? Iso =>
        string.IsNullOrWhiteSpace(Day) && string.IsNullOrWhiteSpace(Month) && string.IsNullOrWhiteSpace(Year)
            ? null
            : $"{Year?.Trim()}-{TwoDigits(Month)}-{TwoDigits(Day)}";

    /// <summary>A date already known (a form showing what is recorded), as a person would type it.</summary>
    public static DateParts Of(NodaTime.LocalDate? date) => date is { } d
        ? new DateParts { Day = $"{d.Day}", Month = $"{d.Month}", Year = $"{d.Year}" }
        : new DateParts();

    private static string TwoDigits(string? part) => part?.Trim() is [var digit] ? $"0{digit}" : part?.Trim() ?? "";
}

/// <summary>
/// A GOV.UK date input (day, month, year) with its legend, hint and error message (rendered by
/// Web/_DateField.cshtml). The day box's id is <c>{Id}-day</c>: what the error summary links to.
/// </summary>
public sealed record DateField(string Id, string Name, string Legend, string Hint, DateParts Value, string? Error)
{
    /// <summary>The id the error summary links to for a date field with this id.</summary>
    public static string DayBox(string id) => id + "-day";
}
