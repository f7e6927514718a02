using ContinuityOfCare.Continuity;
using NodaTime;

namespace ContinuityOfCare.Tests.Continuity;

public class ReleaseOutcomeTests
{
    private static readonly LocalDate Release = new(2026, 3, 29); // the day clocks go forward

    public static TheoryData<int> WindowLengths => new() { 0, 1, 21, 28 };

    /// <summary>
    /// Every pickup day from before release to well after the window, against every "today" around it, checked
    /// against DOMAIN.md's table written out independently here.
    /// </summary>
    [Theory]
    [MemberData(nameof(WindowLengths))]
    public void Every_combination_of_pickup_day_and_today_follows_the_outcome_table(int windowDays)
    {
        var window = new ContinuityWindow(windowDays);
        for (var today = -2; today <= windowDays + 10; today++)
        {
            for (int? pickup = -3; pickup <= windowDays + 10; pickup++)
            {
                foreach (var pickupDay in new[] { pickup, null })
                {
                    var expected = pickupDay switch
                    {
                        { } d when d >= 0 && d <= windowDays => ReleaseOutcome.Engaged,
                        { } d when d > windowDays => ReleaseOutcome.EngagedLate,
                        _ when today > windowDays => ReleaseOutcome.NotEngaged,
                        _ => ReleaseOutcome.Pending,
                    };

                    var actual = ReleaseOutcomes.Classify(
                        Release, pickupDay is { } p ? Release.PlusDays(p) : null, Release.PlusDays(today), window);
                    Assert.True(
                        expected == actual,
                        $"window {windowDays}, pickup day {pickupDay}, today day {today}: " +
                        $"expected {expected}, got {actual}");
                }
            }
        }
    }

    [Fact]
    public void Outcome_follows_the_pickup_date_not_when_it_was_recorded()
    {
        // A pickup on day 15 recorded (so first known) on day 30 is engaged, as of day 30 and forever after.
        var outcome = ReleaseOutcomes.Classify(
            Release, Release.PlusDays(15), Release.PlusDays(30), ContinuityWindow.Default);
        Assert.Equal(ReleaseOutcome.Engaged, outcome);
    }

    [Fact]
    public void A_late_pickup_is_engaged_late_even_while_today_is_long_after()
    {
        var outcome = ReleaseOutcomes.Classify(
            Release, Release.PlusDays(22), Release.PlusDays(400), ContinuityWindow.Default);
        Assert.Equal(ReleaseOutcome.EngagedLate, outcome);
    }
}
