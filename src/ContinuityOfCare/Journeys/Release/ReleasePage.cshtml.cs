using ContinuityOfCare.Access;
using ContinuityOfCare.Http;
using ContinuityOfCare.Web;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine;

namespace ContinuityOfCare.Journeys.Release;

/// <summary>The prison team records the release, which starts the pickup window, as on the API.</summary>
[Authorize(Policy = Roles.Prison)]
public sealed class ReleasePageModel(IQuerySession session, IMessageBus bus, IClock clock)
    : JourneyStepPage(session, bus, clock)
{
    [BindProperty]
    public DateParts ReleasedOn { get; set; } = new();

    [BindProperty]
    public string? ReleaseType { get; set; }

    [BindProperty]
    public string? DestinationLocalAuthority { get; set; }

    [BindProperty]
    public string? CommunityProvider { get; set; }

    public override FormErrors Errors { get; } = new(new Dictionary<string, (string, string)>
    {
        ["releasedOn"] = (DateField.DayBox("released-on"), "Release date"),
        ["releaseType"] = ("release-type", "Type of release"),
        ["destinationLocalAuthority"] = ("destination-local-authority", "Local authority"),
        ["communityProvider"] = ("community-provider", "Community provider"),
    });

    protected override Side Side => Side.Prison;

    public async Task<IActionResult> OnGetAsync(Guid journeyId, CancellationToken cancellation) =>
        await LoadAsync(journeyId, cancellation) ?? Page();

    public Task<IActionResult> OnPostAsync(Guid journeyId, CancellationToken cancellation)
    {
        var unreadable = new ValidationErrors();
        var request = new RecordReleaseRequest(
            Date(unreadable, "releasedOn", ReleasedOn), Radios.Chosen<Journeys.ReleaseType>(ReleaseType),
            JourneyStepPage.Blank(DestinationLocalAuthority), JourneyStepPage.Blank(CommunityProvider));
        return SendAsync(journeyId, unreadable, request, _ => request.ToCommand(journeyId), "Release recorded",
            cancellation);
    }

}
