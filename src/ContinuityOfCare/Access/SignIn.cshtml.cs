using System.Security.Claims;
using ContinuityOfCare.Http;
using ContinuityOfCare.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ContinuityOfCare.Access;

/// <summary>
/// Development and tests only (with the development signing key): sign in as any role and organisations, with the
/// same claims a token from `mint-token` carries. With an OpenID Connect authority it sends people there instead.
/// </summary>
[AllowAnonymous]
public sealed class SignInModel(AccessSettings settings) : PageModel
{
    [BindProperty]
    public string? Role { get; set; }

    [BindProperty]
    public string? Organisations { get; set; }

    [BindProperty]
    public string? UserName { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public FormErrors Errors { get; } = new(new Dictionary<string, (string, string)>
    {
        [Claims.Role] = ("role", "Role"),
        [Claims.Organisation] = ("organisations", "Organisation"),
        [Claims.Subject] = ("user-name", "User name"),
    });

    /// <summary>With an authority, sign-in happens there; with neither it nor the development key, nowhere.</summary>
    public IActionResult OnGet() =>
        PageSession.OffersDevelopmentSignIn(settings) ? Page()
        : PageSession.UsesAuthority(settings)
            ? Challenge(
                new AuthenticationProperties { RedirectUri = Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/" },
                OpenIdConnectDefaults.AuthenticationScheme)
            : Content(
                $"Sign-in to the screens is not configured: set {AccessSettings.Section}__ClientId " +
                "for the OpenID Connect authority.",
                "text/plain; charset=utf-8");

    private static string Home(string role) => role switch
    {
        Roles.Analyst => "/analyst",
        Roles.Provider => "/handovers",
        Roles.Prison => "/releases-due",
        _ => "/",
    };

    public async Task<IActionResult> OnPostAsync()
    {
        if (!PageSession.OffersDevelopmentSignIn(settings))
        {
            return NotFound();
        }

        var organisations = (Organisations ?? "").Split(
            [',', ' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var user = string.IsNullOrWhiteSpace(UserName) ? $"dev-{Role}" : UserName.Trim();
        var errors = new ValidationErrors();
        if (Role is null || !Roles.All.Contains(Role))
        {
            errors.Add(Claims.Role, "must be chosen");
        }

        if (organisations.Length == 0)
        {
            errors.Add(Claims.Organisation, "is required: every role acts for one");
        }

        foreach (var organisation in organisations)
        {
            errors.Code(Claims.Organisation, organisation);
        }

        errors.Reference(Claims.Subject, user);
        if (errors.Any)
        {
            Errors.Add(errors);
            return Page();
        }

        var claims = new List<Claim> { new(Claims.Subject, user), new(Claims.Role, Role!) };
        claims.AddRange(organisations.Distinct(StringComparer.Ordinal).Select(o => new Claim(Claims.Organisation, o)));
        var identity = new ClaimsIdentity(claims, "development-sign-in", Claims.Subject, Claims.Role);
        await HttpContext.SignInAsync(
            CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : Home(Role!));
    }
}
