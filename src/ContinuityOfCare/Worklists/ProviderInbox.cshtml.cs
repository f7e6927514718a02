using ContinuityOfCare.Access;
using ContinuityOfCare.Continuity;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;

namespace ContinuityOfCare.Worklists;

/// <summary>
/// A provider's handovers (read-only for now): the API's inbox, in its order (fewest days left first), split into
/// live, not yet released and lapsed. Acting on a handover is left to the typed commands now being introduced.
/// </summary>
[Authorize(Policy = Roles.Provider)]
public sealed class ProviderInboxModel(IQuerySession session, IClock clock, ContinuityRules rules) : PageModel
{
    /// <summary>Windows closing within this many days get a badge.</summary>
    public const int ClosingSoonDays = 3;

    public HandoverInbox Inbox { get; private set; } = null!;

    public IReadOnlyList<string> Providers { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string? provider, CancellationToken cancellation)
    {
        var caller = Caller.Of(User);
        Providers = caller.Organisations.Where(caller.IsProviderOf).Order(StringComparer.Ordinal).ToList();
        provider ??= Providers.FirstOrDefault();
        if (provider is null || !caller.IsProviderOf(provider))
        {
            return Forbid();
        }

        Inbox = await ProviderHandoversEndpoint.InboxAsync(provider, session, LondonCalendar.Today(clock), rules, cancellation);
        return Page();
    }

    public IEnumerable<HandoverWorkItem> Live => Inbox.Handovers.Where(h => h.ReleasedOn is not null && !h.Lapsed);

    public IEnumerable<HandoverWorkItem> NotReleased => Inbox.Handovers.Where(h => h.ReleasedOn is null);

    public IEnumerable<HandoverWorkItem> Lapsed => Inbox.Handovers.Where(h => h.Lapsed);

    public static bool ClosingSoon(HandoverWorkItem item) => !item.Lapsed && item.DaysLeftInWindow is <= ClosingSoonDays;
}
