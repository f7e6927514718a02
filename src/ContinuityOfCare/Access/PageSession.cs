using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace ContinuityOfCare.Access;

/// <summary>
/// How a caller is recognised: the API by bearer tokens, the screens by a cookie session carrying the same claims
/// (`sub`, `role`, `org`, `permission`), so the same policies apply to both. In production the session comes from the
/// OpenID Connect authority (authorization code flow with PKCE); with the development key, from the sign-in page.
/// </summary>
public static class PageSession
{
    /// <summary>Picks the bearer or the cookie scheme for each request.</summary>
    public const string Scheme = "token-or-session";

    public const string SignInPath = "/sign-in";
    public const string AccessDeniedPath = "/access-denied";

    /// <summary>
    /// The API (and any request that presents a bearer token) is answered with 401/403 problems, never a redirect;
    /// everything else is a screen, signed in with the session cookie.
    /// </summary>
    public static bool UsesToken(HttpContext http) =>
        http.Request.Path.StartsWithSegments("/api")
        || http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

    public static AuthenticationBuilder AddPageSession(
        this AuthenticationBuilder authentication, AccessSettings settings)
    {
        authentication.AddPolicyScheme(Scheme, "Bearer token or session cookie", options =>
            options.ForwardDefaultSelector = http =>
                UsesToken(http)
                    ? JwtBearerDefaults.AuthenticationScheme
                    : CookieAuthenticationDefaults.AuthenticationScheme);

        var useAuthority = UsesAuthority(settings);
        authentication.AddCookie(options =>
        {
            options.Cookie.Name = "continuity-of-care-session";
            options.Cookie.HttpOnly = true;
            // Lax, not Strict: the authority's redirect back to the service must carry the correlation cookies.
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
            options.SlidingExpiration = true;
            options.LoginPath = SignInPath;
            options.AccessDeniedPath = AccessDeniedPath;
            if (useAuthority)
            {
                options.ForwardChallenge = OpenIdConnectDefaults.AuthenticationScheme;
            }
        });

        if (useAuthority)
        {
            authentication.AddOpenIdConnect(options =>
            {
                options.Authority = settings.Authority;
                options.ClientId = settings.ClientId;
                options.ClientSecret = settings.ClientSecret;
                options.ResponseType = OpenIdConnectResponseType.Code;
                options.UsePkce = true;
                options.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                options.MapInboundClaims = false; // keep `sub`, `role`, `org` as issued, as the bearer scheme does
                options.GetClaimsFromUserInfoEndpoint = true;
                options.SaveTokens = false;
                options.Scope.Clear();
                options.Scope.Add("openid");
                options.Scope.Add("profile");
                foreach (var claim in new[] { Claims.Role, Claims.Organisation, Claims.Permission })
                {
                    options.ClaimActions.MapJsonKey(claim, claim);
                }

                options.TokenValidationParameters.NameClaimType = Claims.Subject;
                options.TokenValidationParameters.RoleClaimType = Claims.Role;
            });
        }

        return authentication;
    }

    /// <summary>Whether people sign in at the OpenID Connect authority (production with a client id).</summary>
    public static bool UsesAuthority(AccessSettings settings) =>
        !settings.UsesDevelopmentKey && !string.IsNullOrWhiteSpace(settings.ClientId);

    /// <summary>Whether the development sign-in page (pick a role and organisations) is offered.</summary>
    public static bool OffersDevelopmentSignIn(AccessSettings settings) => settings.UsesDevelopmentKey;
}
