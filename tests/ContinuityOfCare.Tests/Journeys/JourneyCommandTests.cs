using ContinuityOfCare.Access;
using ContinuityOfCare.Journeys;
using ContinuityOfCare.Journeys.Handover;
using ContinuityOfCare.Journeys.TreatmentStart;
using ContinuityOfCare.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Wolverine;

namespace ContinuityOfCare.Tests.Journeys;

/// <summary>
/// The typed commands the API and the pages share, sent straight to their handlers through Wolverine: the same
/// rules, access and audit as over HTTP, whoever sends them.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class JourneyCommandTests(PostgresCluster postgres) : ServiceTests(postgres)
{
    private static readonly Caller ForwardLeeds = new(
        "keyworker.ali", new HashSet<string> { Roles.Provider }, new HashSet<string> { "FORWARD-LEEDS" },
        new HashSet<string>());

    private Task<StepAnswer> SendAsync(IJourneyCommand command, Caller? caller) =>
        Service.Services.GetRequiredService<IMessageBus>().InvokeAsync<StepAnswer>(
            command,
            caller is null ? new DeliveryOptions() : new StepRequest(caller, "", "").Delivery("command-test"));

    [Fact]
    public async Task A_command_from_the_provider_the_journey_is_handed_over_to_is_recorded_under_its_name()
    {
        var id = await Api.ReleasedAsync(new LocalDate(2026, 11, 10));

        var answer = await SendAsync(new AcknowledgeHandover(id, new LocalDate(2026, 11, 20), null), ForwardLeeds);

        var written = Assert.IsType<StepWritten>(answer).Written;
        Assert.Equal(3, written.Version);
        var acknowledged = (await Api.JourneyAsync(id)).History[^1];
        Assert.Equal("handover_acknowledged", acknowledged.Type);
        Assert.Equal(new RecordedBy("keyworker.ali", Roles.Provider, "FORWARD-LEEDS"), acknowledged.RecordedBy);
        Assert.Equal("command-test", acknowledged.CorrelationId);
    }

    [Fact]
    public async Task A_command_sent_without_a_caller_acts_for_nobody_and_records_nothing()
    {
        var id = await Api.ReleasedAsync(new LocalDate(2026, 11, 10));

        var answer = await SendAsync(
            new RecordTreatmentStart(id, new CommunityTreatmentStarted(new(2026, 11, 20))), null);

        Assert.Equal(StepRefusal.Forbidden, Assert.IsType<StepRefused>(answer).Refusal);
        Assert.Equal(2, (await Api.JourneyAsync(id)).Version);
    }

    [Fact]
    public async Task A_rule_s_refusal_names_the_field_and_an_unknown_journey_is_said_to_be_unknown()
    {
        var id = await Api.ReleasedAsync(new LocalDate(2026, 11, 10));

        var early = await SendAsync(new BookAppointment(id, new AppointmentBooked(new(2026, 11, 30))), ForwardLeeds);
        var unknown = await SendAsync(
            new AcknowledgeHandover(Guid.CreateVersion7(), new(2026, 11, 20), null), ForwardLeeds);

        var refused = Assert.IsType<StepRefused>(early);
        Assert.Equal((StepRefusal.Conflict, "appointmentOn"), (refused.Refusal, refused.Field));
        Assert.Contains("not been acknowledged", refused.Detail);
        Assert.Equal(StepRefusal.UnknownJourney, Assert.IsType<StepRefused>(unknown).Refusal);
    }
}
