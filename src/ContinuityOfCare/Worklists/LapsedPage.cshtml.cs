using ContinuityOfCare.Access;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Organisations;
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
        OrganisationKind kind;
        if (organisation is not null && caller.IsProviderOf(organisation))
        {
            kind = OrganisationKind.Provider;
        }
        else if (organisation is not null && caller.IsPrisonTeamOf(organisation))
        {
            kind = OrganisationKind.Prison;
        }
        else
        {
            return Forbid();
        }

        (List, Pages) = await Pagination.AskAsync(
            Request.Query["page"], WorklistPage.DefaultSize,
            skip => LapsedReasonNeededEndpoint.ListAsync(
                organisation, kind, new WorklistPage(skip, WorklistPage.DefaultSize), session, today, rules,
                cancellation),
            list => list.Total, Link);
        return Page();
    }

    public Pagination Pages { get; private set; } = null!;

    private string Link(int page) => page == 1 ? Request.Path : $"{Request.Path}?page={page}";
}
