using System.Net;
using ContinuityOfCare.Access;
using ContinuityOfCare.Tests.Support;

namespace ContinuityOfCare.Tests.Access;

/// <summary>A rate limit per caller, and the development token command.</summary>
[Collection(PostgresCollection.Name)]
public sealed class RateLimitAndTokenTests(PostgresCluster postgres)
    : ServiceTests(postgres, new Dictionary<string, string> { ["Authentication:RequestsPerMinute"] = "5" })
{
    [Fact]
    public async Task A_caller_over_its_limit_gets_429_with_Retry_After_and_other_callers_are_not_held_up()
    {
        var busy = Service.ClientAs(ServiceFactory.Token("analyst", "OHID"));
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
        {
            statuses.Add((await busy.GetAsync("/api/v1/continuity?from=2026-11-01&to=2026-11-30")).StatusCode);
        }

        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.OK));
        var refused = await busy.GetAsync("/api/v1/continuity?from=2026-11-01&to=2026-11-30");
        await Problem.AssertAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.True(refused.Headers.RetryAfter is not null);

        var other = Service.ClientAs(ServiceFactory.Token(["analyst"], ["LEEDS-PUBLIC-HEALTH"], user: "someone-else"));
        Assert.Equal(
            HttpStatusCode.OK, (await other.GetAsync("/api/v1/continuity?from=2026-11-01&to=2026-11-30")).StatusCode);
    }

    [Fact]
    public async Task Health_checks_are_never_rate_limited()
    {
        var anonymous = Service.ClientAs(null);
        foreach (var path in Enumerable.Repeat(new[] { "/health", "/health/live", "/health/ready" }, 10)
            .SelectMany(p => p))
        {
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(path)).StatusCode);
        }
    }

    [Fact]
    public async Task The_mint_token_command_prints_a_token_the_service_accepts_for_that_role_and_organisation()
    {
        var output = new StringWriter();
        var input = Assert.IsType<MintTokenInput>(
            Parse("mint-token --role provider --org FORWARD-LEEDS --user keyworker.shah").Input);

        Assert.True(DevelopmentTokens.Command(input, ServiceFactory.Access, output, TextWriter.Null));
        var client = Service.ClientAs(output.ToString().Trim());
        var own = await client.GetAsync("/api/v1/providers/FORWARD-LEEDS/handovers");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/providers/CGL/handovers")).StatusCode);
    }

    [Theory]
    [InlineData("mint-token")]
    [InlineData("mint-token --role prison")]
    [InlineData("mint-token --role operator")]
    [InlineData("mint-token --role warden --org LEI")]
    [InlineData("mint-token --role prison --org LEI --hours 0")]
    [InlineData("mint-token --role prison --org LEI --hours forever")]
    public void The_mint_token_command_refuses_incomplete_or_unknown_options(string command)
    {
        var run = Parse(command);
        if (run.Input is MintTokenInput input)
        {
            var error = new StringWriter();
            Assert.False(DevelopmentTokens.Command(input, ServiceFactory.Access, TextWriter.Null, error));
            Assert.Contains("usage: mint-token", error.ToString());
        }
        else
        {
            // Refused while parsing: JasperFx shows the command's usage instead of running it.
            Assert.IsType<JasperFx.CommandLine.Help.HelpCommand>(run.Command);
        }
    }

    /// <summary>The command line as the service's host parses it (JasperFx).</summary>
    private static JasperFx.CommandLine.CommandRun Parse(string commandLine)
    {
        var factory = new JasperFx.CommandLine.CommandFactory();
        factory.RegisterCommand<MintTokenCommand>();
        return factory.BuildRun(commandLine.Split(' '));
    }
}
