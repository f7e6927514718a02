using ContinuityOfCare.Access;
using ContinuityOfCare.Continuity;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;

namespace ContinuityOfCare.Worklists;

/// <summary>
/// A prison's releases due in the next 14 days without an acknowledged handover: the API's worklist, read-only.
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

        Due = await ReleasesDueEndpoint.DueAsync(
            prisonCode, ReleasesDueEndpoint.DefaultDays, session, LondonCalendar.Today(clock), cancellation);
        return Page();
    }
}
