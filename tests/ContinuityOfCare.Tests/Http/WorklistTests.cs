using System.Net;
using System.Text.Json;
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
        await Api.ReleasedAsync(new LocalDate(2026, 11, 5), pickedUpOn: new LocalDate(2026, 11, 6)); // picked up: off the list
        var elsewhere = await Api.ReleasedAsync(new LocalDate(2026, 11, 5));
        await Api.RecordAsync(elsewhere, "handover-redirect", new { toProvider = "CGL-WAKEFIELD" }); // redirected away
        var dead = await Api.ReleasedAsync(new LocalDate(2026, 11, 5));
        await Api.RecordAsync(dead, "death", new { diedOn = "2026-11-07" }); // closed: off the list

        var inbox = await Api.GetJsonAsync("/api/v1/providers/FORWARD-LEEDS/handovers");

        var items = inbox.GetProperty("handovers").EnumerateArray().ToList();
        Assert.Equal([lapsed, urgent, relaxed, awaiting], items.Select(i => i.GetProperty("journeyId").GetGuid()));
        var first = items[0];
        Assert.True(first.GetProperty("lapsed").GetBoolean());
        Assert.Equal(53, first.GetProperty("daysSinceRelease").GetInt32());
        Assert.Equal(0, first.GetProperty("daysLeftInWindow").GetInt32());
        var second = items[1];
        Assert.Equal("acknowledged", second.GetProperty("status").GetString());
        Assert.Equal(18, second.GetProperty("daysSinceRelease").GetInt32());
        Assert.Equal(3, second.GetProperty("daysLeftInWindow").GetInt32());
        Assert.Equal(1, second.GetProperty("missedAppointments").GetInt32());
        Assert.Equal("2026-11-25", second.GetProperty("firstAppointmentOn").GetString());
        Assert.False(second.GetProperty("lapsed").GetBoolean());
        var last = items[3];
        Assert.Equal("awaiting-acknowledgement", last.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, last.GetProperty("releasedOn").ValueKind);
        Assert.Equal("2026-12-01", last.GetProperty("releaseScheduledOn").GetString());

        var other = await Api.GetJsonAsync("/api/v1/providers/CGL-WAKEFIELD/handovers");
        Assert.Equal([elsewhere], other.GetProperty("handovers").EnumerateArray().Select(i => i.GetProperty("journeyId").GetGuid()));
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

        var due = await Api.GetJsonAsync("/api/v1/prisons/LEI/releases-due");

        Assert.Equal(14, due.GetProperty("days").GetInt32());
        var items = due.GetProperty("releases").EnumerateArray().ToList();
        Assert.Equal([awaiting, noReferral, declined], items.Select(i => i.GetProperty("journeyId").GetGuid()));
        Assert.Equal([0, 7, 14], items.Select(i => i.GetProperty("daysUntilRelease").GetInt32()));
        Assert.Equal(JsonValueKind.Null, items[1].GetProperty("handoverStatus").ValueKind);
        Assert.Equal("declined", items[2].GetProperty("handoverStatus").GetString());

        Assert.Equal(4, (await Api.GetJsonAsync("/api/v1/prisons/LEI/releases-due?days=15")).GetProperty("releases").GetArrayLength());
        await Problem.AssertAsync(await Api.Client.GetAsync("/api/v1/prisons/LEI/releases-due?days=many"), HttpStatusCode.BadRequest, "days");
    }
}
