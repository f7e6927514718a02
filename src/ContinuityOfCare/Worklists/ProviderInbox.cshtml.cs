using ContinuityOfCare.Access;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Http;
using ContinuityOfCare.Web;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;

namespace ContinuityOfCare.Worklists;

/// <summary>Which of a provider's handovers the page shows.</summary>
public enum InboxFilter
{
    All,
    Live,
    ClosingSoon,
    NotReleased,
    Lapsed,
}

/// <summary>One section of the page: its handovers (all pages) and those on this page.</summary>
public sealed record InboxSection(
    string Id, string Title, string Empty, int Total, IReadOnlyList<HandoverWorkItem> OnThisPage);

/// <summary>
/// A provider's handovers: the API's inbox, in its order (fewest days left first), in sections (live, not yet
/// released, lapsed), filtered (live, closing within 3 days, not released, lapsed; a journey reference) and a page at
/// a time. The page only selects from the API's list: the order and the figures are the API's.
/// </summary>
[Authorize(Policy = Roles.Provider)]
public sealed class ProviderInboxModel(IQuerySession session, IClock clock, ContinuityRules rules) : PageModel
{
    /// <summary>Windows closing within this many days get a badge.</summary>
    public const int ClosingSoonDays = 3;

    public const int PageSize = 20;

    public HandoverInbox Inbox { get; private set; } = null!;

    public IReadOnlyList<string> Providers { get; private set; } = [];

    /// <summary>The filter asked for, as its code ("closing-soon"); anything else shows all.</summary>
    [BindProperty(SupportsGet = true, Name = "show")]
    public string? Show { get; set; }

    /// <summary>Part of a journey reference, any case.</summary>
    [BindProperty(SupportsGet = true, Name = "ref")]
    public string? JourneyRef { get; set; }

    public InboxFilter Filter => Filters.FirstOrDefault(f => ApiJson.Code(f) == Show);

    public IReadOnlyList<InboxSection> Sections { get; private set; } = [];

    public Pagination Pages { get; private set; } = null!;

    public static IReadOnlyList<InboxFilter> Filters { get; } = Enum.GetValues<InboxFilter>();

    public async Task<IActionResult> OnGetAsync(string? provider, CancellationToken cancellation)
    {
        var caller = Caller.Of(User);
        Providers = caller.Organisations.Where(caller.IsProviderOf).Order(StringComparer.Ordinal).ToList();
        provider ??= Providers.FirstOrDefault();
        if (provider is null || !caller.IsProviderOf(provider))
        {
            return Forbid();
        }

        JourneyRef = string.IsNullOrWhiteSpace(JourneyRef) ? null : JourneyRef.Trim();
        Inbox = await ProviderHandoversEndpoint.InboxAsync(
            provider, session, LondonCalendar.Today(clock), rules, cancellation);
        var shown = Select(Inbox.Handovers, Filter, JourneyRef);
        Pages = Pagination.Of(Request.Query["page"], shown.Count, PageSize, Link);
        var onThisPage = shown.Skip(Pages.Skip).Take(PageSize).ToHashSet();
        Sections = SectionsFor(Filter)
            .Select(s => s with
            {
                Total = shown.Count(i => SectionOf(i) == s.Id),
                OnThisPage = shown.Where(i => SectionOf(i) == s.Id && onThisPage.Contains(i)).ToList(),
            })
            .ToList();
        return Page();
    }

    /// <summary>This page's address with the same filters, at page <paramref name="page"/>.</summary>
    public string Link(int page) => QueryString.Create(new Dictionary<string, string?>
    {
        ["show"] = Filter == InboxFilter.All ? null : ApiJson.Code(Filter),
        ["ref"] = JourneyRef,
        ["page"] = page == 1 ? null : $"{page}",
    }.Where(p => p.Value is not null)) is { HasValue: true } query
        ? Request.Path + query
        : Request.Path;

    /// <summary>
    /// The handovers a filter shows, section by section (live, not yet released, lapsed), each in the API's order.
    /// </summary>
    public static IReadOnlyList<HandoverWorkItem> Select(
        IEnumerable<HandoverWorkItem> handovers, InboxFilter filter, string? journeyRef) =>
        handovers
            .Where(i => journeyRef is null || i.JourneyRef.Contains(journeyRef, StringComparison.OrdinalIgnoreCase))
            .Where(i => filter switch
            {
                InboxFilter.Live => SectionOf(i) == "live",
                InboxFilter.ClosingSoon => ClosingSoon(i),
                InboxFilter.NotReleased => SectionOf(i) == "not-released",
                InboxFilter.Lapsed => SectionOf(i) == "lapsed",
                _ => true,
            })
            .OrderBy(i => SectionOf(i) switch { "live" => 0, "not-released" => 1, _ => 2 })
            .ToList();

    public static string SectionOf(HandoverWorkItem item) =>
        item.Lapsed ? "lapsed" : item.ReleasedOn is null ? "not-released" : "live";

    public static bool ClosingSoon(HandoverWorkItem item) =>
        !item.Lapsed && item.DaysLeftInWindow is <= ClosingSoonDays;

    public static string Label(InboxFilter filter) => filter switch
    {
        InboxFilter.Live => "Released: window open",
        InboxFilter.ClosingSoon => $"Window closing within {ClosingSoonDays} days",
        InboxFilter.NotReleased => "Not released yet",
        InboxFilter.Lapsed => "Window closed without a pickup",
        _ => "All handovers",
    };

    private static IEnumerable<InboxSection> SectionsFor(InboxFilter filter) =>
        new[]
        {
            new InboxSection(
                "live", filter == InboxFilter.ClosingSoon ? Label(filter) : Label(InboxFilter.Live),
                "No released person is waiting for pickup.", 0, []),
            new InboxSection(
                "not-released", Label(InboxFilter.NotReleased), "No handover is waiting for a release.", 0, []),
            new InboxSection(
                "lapsed", Label(InboxFilter.Lapsed), "No window has closed without a pickup.", 0, []),
        }.Where(s => filter switch
        {
            InboxFilter.Live or InboxFilter.ClosingSoon => s.Id == "live",
            InboxFilter.NotReleased => s.Id == "not-released",
            InboxFilter.Lapsed => s.Id == "lapsed",
            _ => true,
        });
}
