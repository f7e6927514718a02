using ContinuityOfCare.Continuity;

namespace ContinuityOfCare.Tests.Continuity;

public class ContinuityTallyTests
{
    [Fact]
    public void Rate_is_engaged_over_every_known_outcome_and_pending_is_left_out()
    {
        var tally = ContinuityTally.Of([
            ReleaseOutcome.Engaged, ReleaseOutcome.Engaged, ReleaseOutcome.EngagedLate, ReleaseOutcome.NotEngaged,
            ReleaseOutcome.Pending, ReleaseOutcome.Pending,
        ]);

        Assert.Equal(new ContinuityTally(6, 2, 1, 1, 2), tally);
        Assert.Equal(4, tally.Known);
        Assert.Equal(0.5, tally.Rate);
    }

    [Fact]
    public void Rate_is_null_when_no_outcome_is_known_yet()
    {
        Assert.Null(ContinuityTally.Empty.Rate);
        Assert.Null(ContinuityTally.Of([ReleaseOutcome.Pending, ReleaseOutcome.Pending]).Rate);
    }

    [Theory]
    [InlineData(0, 1, 0.0)]
    [InlineData(1, 0, 1.0)]
    [InlineData(1, 2, 1.0 / 3)]
    [InlineData(51, 49, 0.51)]
    public void Rate_between_0_and_1(int engaged, int notEngaged, double rate)
    {
        var outcomes = Enumerable.Repeat(ReleaseOutcome.Engaged, engaged).Concat(
            Enumerable.Repeat(ReleaseOutcome.NotEngaged, notEngaged));
        Assert.Equal(rate, ContinuityTally.Of(outcomes).Rate!.Value, 12);
    }
}
