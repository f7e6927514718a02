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

    public static string Date(LocalDate date) => LongDate.Format(date);
}
