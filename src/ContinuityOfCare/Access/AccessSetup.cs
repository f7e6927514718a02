using System.Threading.RateLimiting;
using ContinuityOfCare.Http;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.IdentityModel.Tokens;

namespace ContinuityOfCare.Access;

public static class AccessSetup
{
    /// <summary>
    /// Bearer tokens on every endpoint (health is the only exception, marked [AllowAnonymous]), a session cookie with
    /// the same claims on the screens (see <see cref="PageSession"/>), and a rate limit per caller. Which role and
    /// organisation may do what is decided where the journey is known: see <see cref="Caller"/>.
    /// </summary>
    public static void AddAccess(this IServiceCollection services, AccessSettings settings)
    {
        services.AddSingleton(settings);
        var authentication = services.AddAuthentication(PageSession.Scheme);
        authentication.AddPageSession(settings);
        authentication.AddJwtBearer(options =>
        {
            options.MapInboundClaims = false; // keep `role`, `org`, `sub` as issued
            options.TokenValidationParameters = new TokenValidationParameters
            {
                NameClaimType = Claims.Subject,
                RoleClaimType = Claims.Role,
                ValidAudience = settings.Audience,
                ValidateAudience = true,
                ValidateLifetime = true,
                ClockSkew = TimeSpan.FromMinutes(1),
            };
            if (settings.UsesDevelopmentKey)
            {
                options.TokenValidationParameters.ValidIssuer = settings.DevelopmentIssuer;
                options.TokenValidationParameters.IssuerSigningKey = DevelopmentTokens.Key(settings);
            }
            else
            {
                options.Authority = settings.Authority;
                options.Audience = settings.Audience;
            }
        });
        // Every role acts for an organisation, and the audit trail records which: a token without one acts for nobody.
        services.AddAuthorization(options =>
        {
            options.FallbackPolicy = new AuthorizationPolicyBuilder()
                .RequireAuthenticatedUser()
                .RequireClaim(Claims.Subject)
                .RequireClaim(Claims.Organisation)
                .Build();
            // One policy per role, named as the role: [Authorize(Policy = Roles.Analyst)]. Which prison or provider
            // a caller acts for is checked against the journey or list itself (see Caller).
            foreach (var role in Roles.All)
            {
                options.AddPolicy(role, policy => policy.RequireAuthenticatedUser()
                    .RequireClaim(Claims.Subject).RequireClaim(Claims.Organisation).RequireRole(role));
            }
        });
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ForbiddenAnswers>();

        services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                // A minute's requests, refilled each minute: per-second
                // refills would round any limit under 60 up to 60.
                RateLimitPartition.GetTokenBucketLimiter(PartitionKey(http), _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = settings.RequestsPerMinute,
                    TokensPerPeriod = settings.RequestsPerMinute,
                    ReplenishmentPeriod = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
            options.OnRejected = async (context, cancellation) =>
            {
                var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                    ? retryAfter
                    : TimeSpan.FromMinutes(1);
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))
                    .ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Problems.TooManyRequests().ExecuteAsync(context.HttpContext);
            };
        });
    }

    public static void UseAccess(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
    }

    /// <summary>A caller is their token's subject and organisations; without a valid token, their address.</summary>
    private static string PartitionKey(HttpContext http) =>
        http.User.Identity?.IsAuthenticated == true && Caller.Of(http) is var caller
            ? $"{caller.User}|{caller.OrganisationList}"
            : $"address|{http.Connection.RemoteIpAddress}";
}

/// <summary>A 403 from the authorization policies is a problem+json that says what the token lacks.</summary>
public sealed class ForbiddenAnswers : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(
        RequestDelegate next, HttpContext context, AuthorizationPolicy policy,
        PolicyAuthorizationResult authorizeResult)
    {
        // A screen signed in with the session cookie is sent to the access-denied page instead.
        if (!authorizeResult.Forbidden || !PageSession.UsesToken(context))
        {
            return _default.HandleAsync(next, context, policy, authorizeResult);
        }

        var role = authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<RolesAuthorizationRequirement>()
            .SelectMany(r => r.AllowedRoles).FirstOrDefault();
        return Problems.Forbidden(
                context.User.FindFirst(Claims.Subject) is null
                    ? $"The token names no user ('{Claims.Subject}' claim): every event records who posted it."
                    : context.User.FindFirst(Claims.Organisation) is null
                        ? $"The token names no organisation ('{Claims.Organisation}' claim): every role acts for one."
                        : $"This is for the {role} role.")
            .ExecuteAsync(context);
    }
}
