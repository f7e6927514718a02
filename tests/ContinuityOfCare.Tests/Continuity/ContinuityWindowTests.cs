using ContinuityOfCare.Continuity;
using NodaTime;

namespace ContinuityOfCare.Tests.Continuity;

public class ContinuityWindowTests
{
    private static readonly ContinuityWindow Window = ContinuityWindow.Default;
    private static readonly LocalDate Release = new(2026, 6, 1);

    [Fact]
    public void Default_window_is_21_days()
    {
        Assert.Equal(21, Window.Days);
        Assert.Equal(new LocalDate(2026, 6, 22), Window.LastDay(Release));
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)] // day 0 is the release date
    [InlineData(1, true)]
    [InlineData(20, true)]
    [InlineData(21, true)] // day 21 still counts
    [InlineData(22, false)] // day 22 is late
    [InlineData(100, false)]
    public void A_pickup_counts_from_day_0_to_day_21(int day, bool counts)
    {
        Assert.Equal(counts, Window.Contains(Release, Release.PlusDays(day)));
        Assert.Equal(day, ContinuityWindow.DayNumber(Release, Release.PlusDays(day)));
    }

    [Theory]
    [InlineData(-3, true, 24)]
    [InlineData(0, true, 21)]
    [InlineData(20, true, 1)]
    [InlineData(21, true, 0)] // last day: still open, nothing left after today
    [InlineData(22, false, 0)]
    [InlineData(60, false, 0)]
    public void The_window_is_open_until_the_end_of_its_last_day(int todayDay, bool open, int daysLeft)
    {
        var today = Release.PlusDays(todayDay);
        Assert.Equal(open, Window.IsOpenOn(Release, today));
        Assert.Equal(daysLeft, Window.DaysLeft(Release, today));
    }

    // Europe/London 2026: clocks go forward on 29 March, back on 25 October.
    [Theory]
    [InlineData("2026-03-29", "2026-04-19")] // released on the day clocks go forward
    [InlineData("2026-03-28", "2026-04-18")] // the day before
    [InlineData("2026-03-20", "2026-04-10")] // window spans the change
    [InlineData("2026-10-25", "2026-11-15")] // released on the day clocks go back
    [InlineData("2026-10-20", "2026-11-10")] // window spans the change
    public void A_window_spanning_a_clock_change_is_still_22_calendar_dates(string released, string lastDay)
    {
        var releasedOn = Date(released);
        Assert.Equal(Date(lastDay), Window.LastDay(releasedOn));

        var dates = Enumerable.Range(-5, 40)
            .Select(releasedOn.PlusDays)
            .Where(d => Window.Contains(releasedOn, d))
            .ToList();
        Assert.Equal(22, dates.Count);
        Assert.Equal(releasedOn, dates[0]);
        Assert.Equal(Date(lastDay), dates[^1]);
    }

    [Fact]
    public void Counting_21_times_24_hours_from_London_midnight_would_lose_a_day_in_autumn()
    {
        // Why windows are date arithmetic: 20 Oct 2026 starts at 23:00 UTC on the 19th (BST); 21 x 24 h later is
        // 23:00 GMT on 9 Nov, still the 9th in London, one date short of the true last day, the 10th.
        var releasedOn = new LocalDate(2026, 10, 20);
        var startOfRelease = releasedOn.AtStartOfDayInZone(LondonCalendar.Zone).ToInstant();
        var byHours = LondonCalendar.DateOf(startOfRelease + Duration.FromDays(21));

        Assert.Equal(new LocalDate(2026, 11, 9), byHours);
        Assert.Equal(new LocalDate(2026, 11, 10), Window.LastDay(releasedOn));
    }

    [Theory]
    [InlineData("2026-03-29T00:30:00Z", "2026-03-29")] // GMT until 01:00 UTC
    [InlineData("2026-03-29T01:30:00Z", "2026-03-29")] // now BST
    [InlineData("2026-06-30T22:59:59Z", "2026-06-30")]
    [InlineData("2026-06-30T23:00:00Z", "2026-07-01")] // London midnight in summer is 23:00 UTC
    [InlineData("2026-10-24T23:30:00Z", "2026-10-25")]
    [InlineData("2026-10-25T23:30:00Z", "2026-10-25")] // GMT again: UTC and London agree
    [InlineData("2026-12-31T23:59:59Z", "2026-12-31")]
    public void Today_is_the_London_date_of_now(string instant, string londonDate)
    {
        var now = NodaTime.Text.InstantPattern.ExtendedIso.Parse(instant).Value;
        Assert.Equal(Date(londonDate), LondonCalendar.DateOf(now));
    }

    [Fact]
    public void Pending_turns_to_not_engaged_at_London_midnight_not_UTC_midnight()
    {
        var lastDay = Window.LastDay(Release); // 2026-06-22, in BST
        var lastSecond = LondonCalendar.DateOf(Instant.FromUtc(2026, 6, 22, 22, 59, 59));
        var firstSecondAfter = LondonCalendar.DateOf(Instant.FromUtc(2026, 6, 22, 23, 0, 0));

        Assert.Equal(lastDay, lastSecond);
        Assert.Equal(ReleaseOutcome.Pending, ReleaseOutcomes.Classify(Release, null, lastSecond, Window));
        Assert.Equal(ReleaseOutcome.NotEngaged, ReleaseOutcomes.Classify(Release, null, firstSecondAfter, Window));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(28)]
    public void The_window_length_is_configurable(int days)
    {
        var window = new ContinuityWindow(days);
        Assert.True(window.Contains(Release, Release.PlusDays(days)));
        Assert.False(window.Contains(Release, Release.PlusDays(days + 1)));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(367)]
    public void A_window_cannot_be_negative_or_longer_than_a_year(int days) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ContinuityWindow(days));

    private static LocalDate Date(string iso) => NodaTime.Text.LocalDatePattern.Iso.Parse(iso).Value;
}
