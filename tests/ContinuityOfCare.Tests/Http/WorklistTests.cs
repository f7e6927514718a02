using System.Net;
using ContinuityOfCare.Journeys;
using ContinuityOfCare.Worklists;
using ContinuityOfCare.Tests.Support;
using NodaTime;

namespace ContinuityOfCare.Tests.Http;

/// <summary>The provider's handover inbox and the prison's releases due without an acknowledged handover.</summary>
[Collection(PostgresCollection.Name)]
public sealed class WorklistTests(PostgresCluster postgres) : ServiceTests(postgres)
{
    [Fact]
    public async Task A_provider_sees_its_open_handovers_most_urgent_first()
    {
        var awaiting = await Api.OpenAsync();
        await Api.RecordAsync(awaiting, "release-schedule", new { releaseOn = "2026-12-01" });
        await Api.RecordAsync(awaiting, "referral", new { referredOn = "2026-11-20", provider = "FORWARD-LEEDS" });
        var urgent = await Api.ReleasedAsync(new LocalDate(2026, 11, 5)); // day 18 of 21
        await Api.RecordAsync(urgent, "handover-acknowledgement", new { firstAppointmentOn = "2026-11-25" });
        await Api.RecordAsync(urgent, "missed-appointment", new { appointmentOn = "2026-11-10" });
        var lapsed = await Api.ReleasedAsync(new LocalDate(2026, 10, 1));
        var relaxed = await Api.ReleasedAsync(new LocalDate(2026, 11, 20));
        // picked up: off the list
        await Api.ReleasedAsync(new LocalDate(2026, 11, 5), pickedUpOn: new LocalDate(2026, 11, 6));
        var elsewhere = await Api.ReleasedAsync(new LocalDate(2026, 11, 5));
        await Api.RecordAsync(elsewhere, "handover-redirect", new { toProvider = "CGL-WAKEFIELD" }); // redirected away
        var dead = await Api.ReleasedAsync(new LocalDate(2026, 11, 5));
        await Api.RecordAsync(dead, "death", new { diedOn = "2026-11-07" }); // closed: off the list

        var items = (await Api.GetAsync<HandoverInbox>("/api/v1/providers/FORWARD-LEEDS/handovers")).Handovers;

        Assert.Equal([lapsed, urgent, relaxed, awaiting], items.Select(i => i.JourneyId));
        var first = items[0];
        Assert.Equal((true, 53, 0), (first.Lapsed, first.DaysSinceRelease, first.DaysLeftInWindow));
        var second = items[1];
        Assert.Equal(HandoverStatus.Acknowledged, second.Status);
        Assert.Equal((18, 3, false), (second.DaysSinceRelease, second.DaysLeftInWindow, second.Lapsed));
        Assert.Equal(1, second.MissedAppointments);
        Assert.Equal(new LocalDate(2026, 11, 25), second.FirstAppointmentOn);
        var last = items[3];
        Assert.Equal(HandoverStatus.AwaitingAcknowledgement, last.Status);
        Assert.Null(last.ReleasedOn);
        Assert.Equal(new LocalDate(2026, 12, 1), last.ReleaseScheduledOn);

        var other = await Api.GetAsync<HandoverInbox>("/api/v1/providers/CGL-WAKEFIELD/handovers");
        Assert.Equal([elsewhere], other.Handovers.Select(i => i.JourneyId));
    }

    [Fact]
    public async Task A_prison_sees_releases_due_in_the_next_14_days_without_an_acknowledged_handover()
    {
        async Task<Guid> Scheduled(string on, string prison = "LEI")
        {
            var id = await Api.OpenAsync(JourneyApi.Registration(prisonCode: prison));
            await Api.RecordAsync(id, "release-schedule", new { releaseOn = on });
            return id;
        }

        var noReferral = await Scheduled("2026-11-30");
        var awaiting = await Scheduled("2026-11-23");
        await Api.RecordAsync(awaiting, "referral", new { referredOn = "2026-11-20", provider = "FORWARD-LEEDS" });
        var declined = await Scheduled("2026-12-07");
        await Api.RecordAsync(declined, "referral", new { referredOn = "2026-11-20", provider = "FORWARD-LEEDS" });
        await Api.RecordAsync(declined, "handover-decline", new { reason = "wrong-area" });
        var acknowledged = await Scheduled("2026-11-25");
        await Api.RecordAsync(acknowledged, "referral", new { referredOn = "2026-11-20", provider = "FORWARD-LEEDS" });
        await Api.RecordAsync(acknowledged, "handover-acknowledgement", new { });
        await Scheduled("2026-12-08");             // 15 days away
        await Scheduled("2026-11-22");             // overdue: shown in the prison's other lists, not here
        await Scheduled("2026-11-24", "WYI");      // another prison

        var due = await Api.GetAsync<ReleasesDue>("/api/v1/prisons/LEI/releases-due");

        Assert.Equal(14, due.Days);
        Assert.Equal([awaiting, noReferral, declined], due.Releases.Select(i => i.JourneyId));
        Assert.Equal([0, 7, 14], due.Releases.Select(i => i.DaysUntilRelease));
        HandoverStatus?[] statuses = [HandoverStatus.AwaitingAcknowledgement, null, HandoverStatus.Declined];
        Assert.Equal(statuses, due.Releases.Select(i => i.HandoverStatus));

        Assert.Equal(4, (await Api.GetAsync<ReleasesDue>("/api/v1/prisons/LEI/releases-due?days=15")).Releases.Count);
        await Problem.AssertAsync(
            await Api.Client.GetAsync("/api/v1/prisons/LEI/releases-due?days=many"),
            HttpStatusCode.BadRequest,
            "days");
    }
}
