using ContinuityOfCare.Access;
using ContinuityOfCare.Http;
using ContinuityOfCare.Web;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine;

namespace ContinuityOfCare.Journeys.Handover;

/// <summary>The prison team refers a journey to a community provider (again after a decline), as on the API.</summary>
[Authorize(Policy = Roles.Prison)]
public sealed class ReferralPageModel(IQuerySession session, IMessageBus bus, IClock clock)
    : JourneyStepPage(session, bus, clock)
{
    [BindProperty]
    public string? Provider { get; set; }

    [BindProperty]
    public DateParts ReferredOn { get; set; } = new();

    public override FormErrors Errors { get; } = new(new Dictionary<string, (string, string)>
    {
        ["provider"] = ("provider", "Community provider"),
        ["referredOn"] = (DateField.DayBox("referred-on"), "Date referred"),
    });

    protected override Side Side => Side.Prison;

    public async Task<IActionResult> OnGetAsync(Guid journeyId, CancellationToken cancellation) =>
        await LoadAsync(journeyId, cancellation) ?? Page();

    public Task<IActionResult> OnPostAsync(Guid journeyId, CancellationToken cancellation)
    {
        var unreadable = new ValidationErrors();
        var request = new ReferToProviderRequest(Date(unreadable, "referredOn", ReferredOn), Blank(Provider));
        return SendAsync(journeyId, unreadable, request,
            _ => new ReferToProvider(journeyId, new ReferredToProvider(request.ReferredOn!.Value, request.Provider!)),
            "Referred to the provider", cancellation);
    }
}
