using ContinuityOfCare.Journeys;
using ContinuityOfCare.Journeys.Registration;
using ContinuityOfCare.Journeys.Release;
using ContinuityOfCare.Journeys.TreatmentStart;
using NodaTime;

namespace ContinuityOfCare.Tests.Journeys;

public class JourneyRulesTests
{
    private static readonly LocalDate CustodyStart = new(2026, 5, 2);
    private static readonly LocalDate ReleasedOn = new(2026, 10, 25);

    private static Journey InCustody() => Journey.Create(
        new JourneyOpened("J-1", "P-1", "LEI", Sex.Female, 1990, SubstanceGroup.Alcohol, CustodyStart));

    private static ReleasedFromCustody Release(LocalDate on) =>
        new(on, ReleaseType.Licence, "E08000035", "FORWARD-LEEDS", null, true, null);

    private static Journey Released()
    {
        var journey = InCustody();
        journey.Apply(Release(ReleasedOn));
        return journey;
    }

    [Fact]
    public void A_journey_in_custody_can_be_released()
    {
        var release = Release(ReleasedOn);
        Assert.Equal(Decision.Append(release), RecordReleaseEndpoint.Decide(InCustody(), release));
    }

    [Fact]
    public void A_release_on_the_day_custody_treatment_started_is_allowed()
    {
        Assert.IsType<Accepted>(RecordReleaseEndpoint.Decide(InCustody(), Release(CustodyStart)));
    }

    [Fact]
    public void A_journey_cannot_be_released_twice()
    {
        var decision = Assert.IsType<Rejected>(RecordReleaseEndpoint.Decide(Released(), Release(ReleasedOn.PlusDays(3))));
        Assert.Equal("releasedOn", decision.Field);
        Assert.Contains("already released on 2026-10-25", decision.Reason);
    }

    [Fact]
    public void A_release_cannot_precede_custody_treatment()
    {
        var decision = Assert.IsType<Rejected>(RecordReleaseEndpoint.Decide(InCustody(), Release(CustodyStart.PlusDays(-1))));
        Assert.Equal("releasedOn", decision.Field);
    }

    [Fact]
    public void Community_treatment_cannot_start_before_any_release()
    {
        var decision = Assert.IsType<Rejected>(
            RecordTreatmentStartEndpoint.Decide(InCustody(), new CommunityTreatmentStarted(ReleasedOn)));
        Assert.Equal("startedOn", decision.Field);
        Assert.Contains("no release", decision.Reason);
    }

    [Fact]
    public void Community_treatment_cannot_start_before_the_release_date()
    {
        var decision = Assert.IsType<Rejected>(
            RecordTreatmentStartEndpoint.Decide(Released(), new CommunityTreatmentStarted(ReleasedOn.PlusDays(-1))));
        Assert.Contains("before the release on 2026-10-25", decision.Reason);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(21)]
    [InlineData(90)] // late pickups are still recorded: they are counted as engaged late
    public void Community_treatment_can_start_on_or_after_the_release_date(int day)
    {
        var started = new CommunityTreatmentStarted(ReleasedOn.PlusDays(day));
        Assert.Equal(Decision.Append(started), RecordTreatmentStartEndpoint.Decide(Released(), started));
    }

    [Fact]
    public void Community_treatment_starts_once()
    {
        var journey = Released();
        journey.Apply(new CommunityTreatmentStarted(ReleasedOn.PlusDays(3)));

        var decision = Assert.IsType<Rejected>(
            RecordTreatmentStartEndpoint.Decide(journey, new CommunityTreatmentStarted(ReleasedOn.PlusDays(5))));
        Assert.Contains("already started on 2026-10-28", decision.Reason);
    }

    [Fact]
    public void The_journey_state_follows_its_events()
    {
        var journey = InCustody();
        Assert.Equal(JourneyStage.InCustody, journey.Stage);

        journey.Apply(Release(ReleasedOn));
        Assert.Equal(JourneyStage.Released, journey.Stage);
        Assert.Equal(ReleasedOn, journey.Release!.ReleasedOn);

        journey.Apply(new CommunityTreatmentStarted(ReleasedOn.PlusDays(2)));
        Assert.Equal(JourneyStage.InCommunityTreatment, journey.Stage);
        Assert.Equal(ReleasedOn.PlusDays(2), journey.CommunityTreatmentStartedOn);
    }
}
