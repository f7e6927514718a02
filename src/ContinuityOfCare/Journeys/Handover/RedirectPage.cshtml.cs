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
/// The prison team, or the provider holding the handover, sends it to another provider, as on the API. A provider
/// that redirects it away can no longer see the journey, so goes back to their handovers.
/// </summary>
[Authorize(Roles = $"{Roles.Prison},{Roles.Provider}")]
public sealed class RedirectPageModel(IQuerySession session, IMessageBus bus, IClock clock)
    : JourneyStepPage(session, bus, clock)
{
    [BindProperty]
    public string? ToProvider { get; set; }

    [BindProperty]
    public DateParts RedirectedOn { get; set; } = new();

    public override FormErrors Errors { get; } = new(new Dictionary<string, (string, string)>
    {
        ["toProvider"] = ("to-provider", "New community provider"),
        ["redirectedOn"] = (DateField.DayBox("redirected-on"), "Date redirected"),
    });

    protected override Side Side => Side.Either;

    public async Task<IActionResult> OnGetAsync(Guid journeyId, CancellationToken cancellation) =>
        await LoadAsync(journeyId, cancellation) ?? Page();

    public Task<IActionResult> OnPostAsync(Guid journeyId, CancellationToken cancellation)
    {
        var unreadable = new ValidationErrors();
        var request = new RedirectHandoverRequest(Blank(ToProvider), Date(unreadable, "redirectedOn", RedirectedOn));
        var caller = Caller.Of(User);
        return SendAsync(journeyId, unreadable, request,
            today => new RedirectHandover(journeyId, request.ToProvider!, request.RedirectedOn ?? today),
            "Handover redirected", cancellation,
            then: () => caller.IsPrisonTeamOf(Journey.Facts.PrisonCode) || caller.IsProviderOf(request.ToProvider)
                ? null
                : "/handovers");
    }
}
