using NodaTime;

namespace ContinuityOfCare.Continuity;

/// <summary>
/// Business dates are calendar dates in Europe/London: "today" is the London date of the current instant, so it
/// turns at London midnight (23:00 UTC in summer), not at UTC midnight.
/// </summary>
public static class LondonCalendar
{
    public static DateTimeZone Zone { get; } = DateTimeZoneProviders.Tzdb["Europe/London"];

    public static LocalDate DateOf(Instant instant) => instant.InZone(Zone).Date;

    public static LocalDate Today(IClock clock) => DateOf(clock.GetCurrentInstant());

    /// <summary>
    /// The instant <paramref name="date"/> ends in London: the next date's midnight (23 or 25 hours on clock-change
    /// days).
    /// </summary>
    public static Instant EndOf(LocalDate date) => Zone.AtStartOfDay(date.PlusDays(1)).ToInstant();
}

public static class LocalDateText
{
    /// <summary>YYYY-MM-DD, as dates are written everywhere in the API and its messages.</summary>
    public static string Iso(this LocalDate date) => NodaTime.Text.LocalDatePattern.Iso.Format(date);
}
