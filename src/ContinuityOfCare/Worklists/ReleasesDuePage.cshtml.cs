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
/// page at a time (counted first, so a page past the last shows the last).
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
        var counted = await ReleasesDueEndpoint.DueAsync(
            prisonCode, ReleasesDueEndpoint.DefaultDays, new WorklistPage(Take: 0), session, today, cancellation);
        Pages = Pagination.Of(Request.Query["page"], counted.Total, WorklistPage.DefaultSize, Link);
        Due = await ReleasesDueEndpoint.DueAsync(
            prisonCode, ReleasesDueEndpoint.DefaultDays, new WorklistPage(Pages.Skip, Pages.PageSize), session, today,
            cancellation);
        return Page();
    }

    public Pagination Pages { get; private set; } = null!;

    private string Link(int page) => page == 1 ? Request.Path : $"{Request.Path}?page={page}";
}
