using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ContinuityOfCare.Access;

/// <summary>
/// Where a signed-in person is sent from a screen their role does not cover (the cookie scheme's "forbid"): the
/// redirect is the refusal, this page says it in words.
/// </summary>
[AllowAnonymous]
public sealed class AccessDeniedModel : PageModel
{
    public void OnGet()
    {
    }
}
