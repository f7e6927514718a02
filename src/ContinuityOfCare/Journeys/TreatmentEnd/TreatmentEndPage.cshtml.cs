using ContinuityOfCare.Access;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Http;
using ContinuityOfCare.Web;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine;

namespace ContinuityOfCare.Journeys.TreatmentEnd;

/// <summary>The provider records that community treatment ended, and why, as on the API.</summary>
[Authorize(Policy = Roles.Provider)]
public sealed class TreatmentEndPageModel(IQuerySession session, IMessageBus bus, IClock clock)
    : JourneyStepPage(session, bus, clock)
{
    [BindProperty]
    public DateParts EndedOn { get; set; } = new();

    [BindProperty]
    public string? Reason { get; set; }

    public override FormErrors Errors { get; } = new(new Dictionary<string, (string, string)>
    {
        ["endedOn"] = (DateField.DayBox("ended-on"), "Date treatment ended"),
        ["reason"] = ("reason", "Why treatment ended"),
    });

    protected override Side Side => Side.Provider;

    public async Task<IActionResult> OnGetAsync(Guid journeyId, CancellationToken cancellation) =>
        await LoadAsync(journeyId, cancellation) ?? Page();

    public Task<IActionResult> OnPostAsync(Guid journeyId, CancellationToken cancellation)
    {
        var unreadable = new ValidationErrors();
        var request = new RecordTreatmentEndRequest(
            Date(unreadable, "endedOn", EndedOn), Radios.Chosen<TreatmentEndReason>(Reason));
        return SendAsync(journeyId, unreadable, request,
            _ => new RecordTreatmentEnd(journeyId, new TreatmentEnded(request.EndedOn!.Value, request.Reason!.Value)),
            "End of treatment recorded", cancellation);
    }
}
