using ContinuityOfCare.Access;
using ContinuityOfCare.Http;
using ContinuityOfCare.Web;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine;

namespace ContinuityOfCare.Journeys.Handover;

/// <summary>The provider records an appointment after release that was missed, as on the API.</summary>
[Authorize(Policy = Roles.Provider)]
public sealed class MissedAppointmentPageModel(IQuerySession session, IMessageBus bus, IClock clock)
    : JourneyStepPage(session, bus, clock)
{
    [BindProperty]
    public DateParts AppointmentOn { get; set; } = new();

    public override FormErrors Errors { get; } = new(new Dictionary<string, (string, string)>
    {
        ["appointmentOn"] = (DateField.DayBox("appointment-on"), "Date of the missed appointment"),
    });

    protected override Side Side => Side.Provider;

    public async Task<IActionResult> OnGetAsync(Guid journeyId, CancellationToken cancellation) =>
        await LoadAsync(journeyId, cancellation) ?? Page();

    public Task<IActionResult> OnPostAsync(Guid journeyId, CancellationToken cancellation)
    {
        var unreadable = new ValidationErrors();
        var request = new MissedAppointmentRequest(Date(unreadable, "appointmentOn", AppointmentOn));
        return SendAsync(journeyId, unreadable, request,
            _ => new RecordMissedAppointment(journeyId, new AppointmentMissed(request.AppointmentOn!.Value)),
            "Missed appointment recorded", cancellation);
    }
}
