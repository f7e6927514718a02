using System.Net;
using ContinuityOfCare.Tests.Support;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace ContinuityOfCare.Tests.Access;

/// <summary>
/// In production the screens sign people in at the OpenID Connect authority: authorization code flow with PKCE. The
/// authority's discovery document is given here (no network), so the test sees the redirect the browser would follow.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ScreenSignInTests(PostgresCluster postgres)
{
    private const string Authorize = "https://login.example.org/realms/continuity/protocol/openid-connect/auth";

    [Fact]
    public async Task A_screen_sends_people_to_the_authority_with_PKCE_while_the_API_still_answers_401()
    {
        await using var service = new ServiceFactory(
            await postgres.NewDatabaseAsync("screen_sign_in"),
            new Dictionary<string, string>
            {
                ["Authentication:DevelopmentSigningKey"] = "",
                ["Authentication:Authority"] = "https://login.example.org/realms/continuity",
                ["Authentication:ClientId"] = "continuity-screens",
            });
        await using var production = service.WithWebHostBuilder(host => host.ConfigureTestServices(services =>
            services.PostConfigure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, options =>
            {
                var discovered = new OpenIdConnectConfiguration
                {
                    Issuer = "https://login.example.org/realms/continuity", AuthorizationEndpoint = Authorize,
                };
                options.Configuration = discovered;
                options.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(discovered);
            })));
        var client = production.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = null; // a person's browser, not a token-holding system

        foreach (var page in new[] { "/analyst", "/sign-in" })
        {
            var response = await client.GetAsync(page);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            var location = response.Headers.Location!.ToString();
            Assert.StartsWith(Authorize + "?", location, StringComparison.Ordinal);
            var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(location).Query);
            Assert.Equal(
                ["continuity-screens", "code", "S256", "openid profile", "http://localhost/signin-oidc"],
                new[] { "client_id", "response_type", "code_challenge_method", "scope", "redirect_uri" }
                    .Select(k => query[k].ToString()));
            // a SHA-256, base64url: the verifier stays here
            Assert.Equal(43, query["code_challenge"].ToString().Length);
        }

        await Problem.AssertAsync(
            await client.GetAsync("/api/v1/continuity?from=2026-11-01&to=2026-11-30"), HttpStatusCode.Unauthorized);
    }
}
