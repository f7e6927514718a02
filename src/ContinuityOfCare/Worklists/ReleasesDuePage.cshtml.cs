using ContinuityOfCare.Access;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Web;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;

namespace ContinuityOfCare.Worklists;

/// <summary>
/// A prison's releases due in the next 14 days without an acknowledged handover: the API's worklist, read-only, a
/// page at a time (a page past the last shows the last).
/// </summary>
[Authorize(Policy = Roles.Prison)]
public sealed class ReleasesDuePageModel(IQuerySession session, IClock clock) : PageModel
{
    public ReleasesDue Due { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string? prisonCode, CancellationToken cancellation)
    {
        var caller = Caller.Of(User);
        prisonCode ??= caller.Organisations.Where(caller.IsPrisonTeamOf).Order(StringComparer.Ordinal)
            .FirstOrDefault();
        if (prisonCode is null || !caller.IsPrisonTeamOf(prisonCode))
        {
            return Forbid();
        }

        var today = LondonCalendar.Today(clock);
        (Due, Pages) = await Pagination.AskAsync(
            Request.Query["page"], WorklistPage.DefaultSize,
            skip => ReleasesDueEndpoint.DueAsync(
                prisonCode, ReleasesDueEndpoint.DefaultDays, new WorklistPage(skip, WorklistPage.DefaultSize), session,
                today, cancellation),
            due => due.Total, Link);
        return Page();
    }

    public Pagination Pages { get; private set; } = null!;

    private string Link(int page) => page == 1 ? Request.Path : $"{Request.Path}?page={page}";
}
