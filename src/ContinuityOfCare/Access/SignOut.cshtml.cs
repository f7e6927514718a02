using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ContinuityOfCare.Access;

/// <summary>Ends the session (a POST, with anti-forgery); with an authority, its session too.</summary>
[AllowAnonymous]
public sealed class SignOutModel(AccessSettings settings) : PageModel
{
    public bool OffersSignIn => PageSession.OffersDevelopmentSignIn(settings);

    public void OnGet()
    {
    }

    public IActionResult OnPost()
    {
        var schemes = new List<string> { CookieAuthenticationDefaults.AuthenticationScheme };
        if (PageSession.UsesAuthority(settings))
        {
            schemes.Add(OpenIdConnectDefaults.AuthenticationScheme);
        }

        return SignOut(new AuthenticationProperties { RedirectUri = "/sign-out" }, [.. schemes]);
    }
}
