using ContinuityOfCare.Access;
using ContinuityOfCare.Http;
using ContinuityOfCare.Web;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine;

namespace ContinuityOfCare.Journeys.Handover;

/// <summary>
/// The provider's answer to a handover, as on the API: acknowledge it (with the first appointment, if booked),
/// decline it with a reason (after which the journey is no longer theirs to see), or book an appointment.
/// </summary>
[Authorize(Policy = Roles.Provider)]
public sealed class HandoverPageModel(IQuerySession session, IMessageBus bus, IClock clock)
    : JourneyStepPage(session, bus, clock)
{
    [BindProperty]
    public DateParts AcknowledgedOn { get; set; } = new();

    [BindProperty]
    public DateParts FirstAppointmentOn { get; set; } = new();

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public DateParts DeclinedOn { get; set; } = new();

    [BindProperty]
    public DateParts AppointmentOn { get; set; } = new();

    public override FormErrors Errors { get; } = new(new Dictionary<string, (string, string)>
    {
        ["acknowledgedOn"] = (DateField.DayBox("acknowledged-on"), "Date acknowledged"),
        ["firstAppointmentOn"] = (DateField.DayBox("first-appointment-on"), "First appointment"),
        ["reason"] = ("reason", "Reason"),
        ["declinedOn"] = (DateField.DayBox("declined-on"), "Date declined"),
        ["appointmentOn"] = (DateField.DayBox("appointment-on"), "Appointment date"),
    });

    protected override Side Side => Side.Provider;

    public async Task<IActionResult> OnGetAsync(Guid journeyId, CancellationToken cancellation) =>
        await LoadAsync(journeyId, cancellation) ?? Page();

    public Task<IActionResult> OnPostAcknowledgeAsync(Guid journeyId, CancellationToken cancellation)
    {
        var unreadable = new ValidationErrors();
        var request = new AcknowledgeHandoverRequest(
            Date(unreadable, "firstAppointmentOn", FirstAppointmentOn),
            Date(unreadable, "acknowledgedOn", AcknowledgedOn));
        return SendAsync(journeyId, unreadable, request,
            today => new AcknowledgeHandover(journeyId, request.AcknowledgedOn ?? today, request.FirstAppointmentOn),
            "Handover acknowledged", cancellation);
    }

    public Task<IActionResult> OnPostDeclineAsync(Guid journeyId, CancellationToken cancellation)
    {
        var unreadable = new ValidationErrors();
        var request = new DeclineHandoverRequest(
            Radios.Chosen<DeclineReason>(Reason), Date(unreadable, "declinedOn", DeclinedOn));
        return SendAsync(journeyId, unreadable, request,
            today => new DeclineHandover(journeyId, request.Reason!.Value, request.DeclinedOn ?? today),
            "Handover declined", cancellation, then: () => "/handovers");
    }

    public Task<IActionResult> OnPostAppointmentAsync(Guid journeyId, CancellationToken cancellation)
    {
        var unreadable = new ValidationErrors();
        var request = new AppointmentRequest(Date(unreadable, "appointmentOn", AppointmentOn));
        return SendAsync(journeyId, unreadable, request,
            _ => new BookAppointment(journeyId, new AppointmentBooked(request.AppointmentOn!.Value)),
            "Appointment booked", cancellation);
    }
}
