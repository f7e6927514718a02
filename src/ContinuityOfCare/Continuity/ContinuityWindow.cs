using NodaTime;

namespace ContinuityOfCare.Continuity;

/// <summary>
/// The days after release in which a pickup counts. Day 0 is the release date and day <see cref="Days"/> still
/// counts, so the window holds Days + 1 calendar dates. Pure date arithmetic: a window spanning a clock change is
/// still the same number of dates long, because no instant or hour is involved.
/// </summary>
public sealed record ContinuityWindow
{
    public const int DefaultDays = 21;

    public ContinuityWindow(int days)
    {
        if (days is < 0 or > 366)
        {
            throw new ArgumentOutOfRangeException(nameof(days), days, "A window is 0 to 366 days.");
        }

        Days = days;
    }

    public static ContinuityWindow Default { get; } = new(DefaultDays);

    public int Days { get; }

    public LocalDate LastDay(LocalDate releasedOn) => releasedOn.PlusDays(Days);

    /// <summary>Days from release to <paramref name="date"/>: 0 on the release date, negative before it.</summary>
    public static int DayNumber(LocalDate releasedOn, LocalDate date) => Period.DaysBetween(releasedOn, date);

    public bool Contains(LocalDate releasedOn, LocalDate date) => date >= releasedOn && date <= LastDay(releasedOn);

    /// <summary>True while a pickup could still count: up to and including the last day.</summary>
    public bool IsOpenOn(LocalDate releasedOn, LocalDate today) => today <= LastDay(releasedOn);

    /// <summary>
    /// The same as a bound on the release date, for queries: the window is open on <paramref name="today"/> for
    /// releases on or after this date, and has closed for those before it.
    /// </summary>
    public LocalDate OpenForReleasesFrom(LocalDate today) => today.PlusDays(-Days);

    /// <summary>
    /// Days left after <paramref name="today"/> in which a pickup still counts (0 on the last day, never negative).
    /// </summary>
    public int DaysLeft(LocalDate releasedOn, LocalDate today) =>
        Math.Max(0, Period.DaysBetween(today, LastDay(releasedOn)));
}
