using ContinuityOfCare.Access;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Web;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;

namespace ContinuityOfCare.Worklists;

/// <summary>
/// The API's "lapsed, reason needed" list for one of the caller's organisations (a provider, or a prison whose team
/// they are), each journey linking to the form that records the reason, a page at a time.
/// </summary>
public sealed class LapsedPageModel(IQuerySession session, IClock clock, ContinuityRules rules) : PageModel
{
    public LapsedReasonNeeded List { get; private set; } = null!;

    /// <summary>The caller's organisations this list can be shown for.</summary>
    public IReadOnlyList<string> Organisations { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string? organisation, CancellationToken cancellation)
    {
        var caller = Caller.Of(User);
        Organisations = caller.Organisations
            .Where(o => caller.IsProviderOf(o) || caller.IsPrisonTeamOf(o))
            .Order(StringComparer.Ordinal)
            .ToList();
        organisation ??= Organisations.FirstOrDefault();
        var today = LondonCalendar.Today(clock);
        Func<WorklistPage, Task<LapsedReasonNeeded>> list;
        if (organisation is not null && caller.IsProviderOf(organisation))
        {
            list = page => LapsedReasonNeededEndpoint.ForProviderAsync(
                organisation, page, session, today, rules, cancellation);
        }
        else if (organisation is not null && caller.IsPrisonTeamOf(organisation))
        {
            list = page => LapsedReasonNeededEndpoint.ForPrisonAsync(
                organisation, page, session, today, rules, cancellation);
        }
        else
        {
            return Forbid();
        }

        // Counted first, so that a page past the last shows the last.
        var total = (await list(new WorklistPage(Take: 0))).Total;
        Pages = Pagination.Of(Request.Query["page"], total, WorklistPage.DefaultSize, Link);
        List = await list(new WorklistPage(Pages.Skip, Pages.PageSize));
        return Page();
    }

    public Pagination Pages { get; private set; } = null!;

    private string Link(int page) => page == 1 ? Request.Path : $"{Request.Path}?page={page}";
}
