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

/// <summary>One section of the page: its handovers (all pages) and those on this page.</summary>
public sealed record InboxSection(
    string Id, InboxFilter Filter, string Title, string Empty, int Total, IReadOnlyList<HandoverWorkItem> OnThisPage);

/// <summary>
/// A provider's handovers: the API's inbox, in its order (fewest days left first), in sections (live, not yet
/// released, lapsed), filtered (live, closing within 3 days, not released, lapsed; a journey reference) and a page at
/// a time. Each section is the API's query for its filter, paged in the database: the order and figures are the API's.
/// </summary>
[Authorize(Policy = Roles.Provider)]
public sealed class ProviderInboxModel(IQuerySession session, IClock clock, ContinuityRules rules) : PageModel
{
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
        var today = LondonCalendar.Today(clock);
        Inbox = await ProviderHandoversEndpoint.InboxAsync(
            provider, new InboxQuery(Filter, JourneyRef, new WorklistPage(Take: 0)), session, today, rules,
            cancellation);
        Pages = Pagination.Of(Request.Query["page"], Inbox.Total, PageSize, Link);
        // The page runs through the sections in turn: each shows its part of the page's range, asked of the API.
        var start = 0;
        var sections = new List<InboxSection>();
        foreach (var section in SectionsFor(Filter))
        {
            var total = Inbox.Counts.Of(section.Filter);
            var (from, to) = (Math.Max(Pages.Skip, start), Math.Min(Pages.Skip + PageSize, start + total));
            var onThisPage = to > from
                ? await HandoverInboxQuery.ListAsync(
                    provider, new InboxQuery(section.Filter, JourneyRef, new WorklistPage(from - start, to - from)),
                    session, today, rules, cancellation)
                : [];
            sections.Add(section with { Total = total, OnThisPage = onThisPage });
            start += total;
        }

        Sections = sections;
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

    public static string Label(InboxFilter filter) => filter switch
    {
        InboxFilter.Live => "Released: window open",
        InboxFilter.ClosingSoon => $"Window closing within {HandoverInboxQuery.ClosingSoonDays} days",
        InboxFilter.NotReleased => "Not released yet",
        InboxFilter.Lapsed => "Window closed without a pickup",
        _ => "All handovers",
    };

    private static IEnumerable<InboxSection> SectionsFor(InboxFilter filter) =>
        new[]
        {
            new InboxSection(
                "live", filter == InboxFilter.ClosingSoon ? InboxFilter.ClosingSoon : InboxFilter.Live,
                Label(filter == InboxFilter.ClosingSoon ? filter : InboxFilter.Live),
                "No released person is waiting for pickup.", 0, []),
            new InboxSection(
                "not-released", InboxFilter.NotReleased, Label(InboxFilter.NotReleased),
                "No handover is waiting for a release.", 0, []),
            new InboxSection(
                "lapsed", InboxFilter.Lapsed, Label(InboxFilter.Lapsed),
                "No window has closed without a pickup.", 0, []),
        }.Where(s => filter switch
        {
            InboxFilter.Live or InboxFilter.ClosingSoon => s.Id == "live",
            InboxFilter.NotReleased => s.Id == "not-released",
            InboxFilter.Lapsed => s.Id == "lapsed",
            _ => true,
        });
}
