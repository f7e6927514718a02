using ContinuityOfCare.Access;
using ContinuityOfCare.Http;
using ContinuityOfCare.Web;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine;

namespace ContinuityOfCare.Journeys.TreatmentStart;

/// <summary>The provider records the pickup (the first community treatment date), as on the API.</summary>
[Authorize(Policy = Roles.Provider)]
public sealed class TreatmentStartPageModel(IQuerySession session, IMessageBus bus, IClock clock)
    : JourneyStepPage(session, bus, clock)
{
    [BindProperty]
    public DateParts StartedOn { get; set; } = new();

    public override FormErrors Errors { get; } = new(new Dictionary<string, (string, string)>
    {
        ["startedOn"] = (DateField.DayBox("started-on"), "Treatment start date"),
    });

    protected override Side Side => Side.Provider;

    public async Task<IActionResult> OnGetAsync(Guid journeyId, CancellationToken cancellation) =>
        await LoadAsync(journeyId, cancellation) ?? Page();

    public Task<IActionResult> OnPostAsync(Guid journeyId, CancellationToken cancellation)
    {
        var unreadable = new ValidationErrors();
        var request = new RecordTreatmentStartRequest(Date(unreadable, "startedOn", StartedOn));
        return SendAsync(journeyId, unreadable, request,
            _ => new RecordTreatmentStart(journeyId, new CommunityTreatmentStarted(request.StartedOn!.Value)),
            "Treatment start recorded", cancellation);
    }
}
