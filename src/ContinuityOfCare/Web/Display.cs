using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace ContinuityOfCare.Web;

/// <summary>How figures and dates read on the screens (GOV.UK style: "1 April 2026", "62.5%").</summary>
public static class Display
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");
    private static readonly LocalDatePattern LongDate = LocalDatePattern.Create("d MMMM yyyy", English);

    /// <summary>A share as a percentage with one decimal; a dash when there is nothing to divide.</summary>
    public static string Percent(double? share) =>
        share is { } s ? (s * 100).ToString("0.0", English) + "%" : "–";

    public static string Count(int? count) => count is { } c ? c.ToString("N0", English) : "–";

    /// <summary>A worklist's length, whose count stops at a limit: "more than 1,000" past it.</summary>
    public static string Total(int total, bool more) => more ? $"more than {Count(total)}" : Count(total);

    public static string Date(LocalDate date) => LongDate.Format(date);

    public static string Date(LocalDate? date) => date is { } d ? Date(d) : "–";

    /// <summary>An instant as London time: "23 November 2026 at 12:00".</summary>
    public static string Time(Instant instant) =>
        instant.InZone(Continuity.LondonCalendar.Zone).ToString("d MMMM yyyy 'at' HH:mm", English);

    /// <summary>A code in words: "awaiting-acknowledgement" reads "Awaiting acknowledgement".</summary>
    public static string Words(Enum value)
    {
        var code = Http.ApiJson.Code(value).Replace('-', ' ');
        return code.Length == 0 ? code : char.ToUpperInvariant(code[0]) + code[1..];
    }

    /// <summary>
    /// An organisation as people know it: its directory name with the code after it, "HMP Leeds (LEI)"; the code alone
    /// when the directory does not know it.
    /// </summary>
    public static string Organisation(string code, string? name) =>
        name is null or Organisations.OrganisationDirectory.Unknown ? code : $"{name} ({code})";

    /// <summary>"1 day", "3 days".</summary>
    public static string Days(int days) => days == 1 ? "1 day" : $"{days} days";
}
