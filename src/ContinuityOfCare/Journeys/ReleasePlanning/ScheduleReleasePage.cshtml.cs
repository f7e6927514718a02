using ContinuityOfCare.Access;
using ContinuityOfCare.Http;
using ContinuityOfCare.Web;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine;

namespace ContinuityOfCare.Journeys.ReleasePlanning;

/// <summary>The prison team schedules (or reschedules) the release, as on the API.</summary>
[Authorize(Policy = Roles.Prison)]
public sealed class ScheduleReleasePageModel(IQuerySession session, IMessageBus bus, IClock clock)
    : JourneyStepPage(session, bus, clock)
{
    [BindProperty]
    public DateParts ReleaseOn { get; set; } = new();

    public override FormErrors Errors { get; } = new(new Dictionary<string, (string, string)>
    {
        ["releaseOn"] = (DateField.DayBox("release-on"), "Expected release date"),
    });

    protected override Side Side => Side.Prison;

    public async Task<IActionResult> OnGetAsync(Guid journeyId, CancellationToken cancellation)
    {
        var refused = await LoadAsync(journeyId, cancellation);
        ReleaseOn = DateParts.Of(refused is null ? Journey.Facts.ReleaseScheduledOn : null);
        return refused ?? Page();
    }

    public Task<IActionResult> OnPostAsync(Guid journeyId, CancellationToken cancellation)
    {
        var unreadable = new ValidationErrors();
        var request = new ScheduleReleaseRequest(Date(unreadable, "releaseOn", ReleaseOn));
        return SendAsync(journeyId, unreadable, request,
            _ => new ScheduleRelease(journeyId, new ReleaseScheduled(request.ReleaseOn!.Value)), "Release scheduled",
            cancellation);
    }
}
