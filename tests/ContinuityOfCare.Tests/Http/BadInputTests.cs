using System.Net;
using System.Text;
using ContinuityOfCare.Tests.Support;
using NodaTime;

namespace ContinuityOfCare.Tests.Http;

/// <summary>Every way a body can be wrong is a problem+json naming the field, and nothing is written.</summary>
[Collection(PostgresCollection.Name)]
public sealed class BadInputTests(PostgresCluster postgres) : ServiceTests(postgres)
{
    private const string ValidRegistration =
        """{"journeyRef":"LEI-BAD-1","personRef":"P-1","prisonCode":"LEI","sex":"male","birthYear":""" +
        """1980,"substanceGroup":"opiate","custodyTreatmentStartedOn":"2026-01-05"}""";

    private const string ValidRelease =
        """{"releasedOn":"2026-11-02","releaseType":"licence","destinationLocalAuthority":"E08000035",""" +
        "\"communityProvider\":\"FORWARD-LEEDS\"}";

    public static TheoryData<string, string> BadRegistrations => new()
    {
        { Replace(ValidRegistration, "\"sex\":\"male\"", "\"sex\":\"m\""), "sex" },
        { Replace(ValidRegistration, "\"sex\":\"male\"", "\"sex\":1"), "sex" },
        { Replace(ValidRegistration, "\"substanceGroup\":\"opiate\"", "\"substanceGroup\":\"heroin\""),
            "substanceGroup" },
        { Replace(ValidRegistration, "\"substanceGroup\":\"opiate\"", "\"substanceGroup\":\"Opiate\""),
            "substanceGroup" },
        { Replace(ValidRegistration, "\"substanceGroup\":\"opiate\"", "\"substanceGroup\":\"NonOpiate\""),
            "substanceGroup" },
        { Replace(ValidRegistration, "\"substanceGroup\":\"opiate\"", "\"substanceGroup\":\"opiate, alcohol\""),
            "substanceGroup" },
        { Replace(ValidRegistration, "\"substanceGroup\":\"opiate\"", "\"substanceGroup\":\"1\""), "substanceGroup" },
        { Replace(ValidRegistration, "2026-01-05", "2026-02-30"), "custodyTreatmentStartedOn" },
        { Replace(ValidRegistration, "2026-01-05", "05/01/2026"), "custodyTreatmentStartedOn" },
        // NodaTime stops at U+0000
        { Replace(ValidRegistration, "2026-01-05", "2026-01-05\\u0000"), "custodyTreatmentStartedOn" },
        { Replace(ValidRegistration, "\"2026-01-05\"", "20260105"), "custodyTreatmentStartedOn" },
        { Replace(ValidRegistration, "2026-01-05", "2027-01-05"), "custodyTreatmentStartedOn" }, // in the future
        { Replace(ValidRegistration, "\"birthYear\":1980", "\"birthYear\":\"1980\""), "birthYear" },
        { Replace(ValidRegistration, "\"birthYear\":1980", "\"birthYear\":1980.5"), "birthYear" },
        { Replace(ValidRegistration, "\"birthYear\":1980", "\"birthYear\":1850"), "birthYear" },
        { Replace(ValidRegistration, "\"journeyRef\":\"LEI-BAD-1\"", "\"journeyRef\":42"), "journeyRef" },
        { Replace(ValidRegistration, "\"journeyRef\":\"LEI-BAD-1\"", "\"journeyRef\":\"\""), "journeyRef" },
        { Replace(ValidRegistration, "\"journeyRef\":\"LEI-BAD-1\"", "\"journeyRef\":\"LEI\\u0000BAD\""),
            "journeyRef" },
        { Replace(ValidRegistration, "\"journeyRef\":\"LEI-BAD-1\"", $"\"journeyRef\":\"{new string('x', 101)}\""),
            "journeyRef" },
        { Replace(ValidRegistration, "\"personRef\":\"P-1\",", ""), "personRef" },
        { Replace(ValidRegistration, "\"prisonCode\":\"LEI\"", "\"prisonCode\":\"LEEDS PRISON\""), "prisonCode" },
        { Replace(ValidRegistration, "\"prisonCode\":\"LEI\"", "\"prisonCode\":null"), "prisonCode" },
        { Replace(ValidRegistration, "\"sex\":\"male\",", ""), "sex" },
        // not a field of this request
        { Replace(ValidRegistration, "{", "{\"releasedOn\":\"2026-01-01\","), "releasedOn" },
        { "", "body" },
        { "null", "body" },
        { "[]", "body" },
        { "\"journey\"", "body" },
        { "{\"journeyRef\":", "body" },
        { "{\"journeyRef\":\"a\",}", "body" },
        { "not json at all", "body" },
    };

    [Theory]
    [MemberData(nameof(BadRegistrations))]
    public async Task A_bad_registration_is_a_400_naming_the_field_and_writes_nothing(string body, string field)
    {
        var response = await Api.Client.PostAsync(
            "/api/v1/journeys", new StringContent(body, Encoding.UTF8, "application/json"));

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, field);
        Assert.Equal(0, await Service.EventCountAsync());
    }

    public static TheoryData<string, string> BadReleases => new()
    {
        { Replace(ValidRelease, "\"releaseType\":\"licence\"", "\"releaseType\":\"transfer\""), "releaseType" },
        { Replace(ValidRelease, "\"releaseType\":\"licence\",", ""), "releaseType" },
        { Replace(ValidRelease, "2026-11-02", "2026-11-02T09:00:00Z"), "releasedOn" },
        { Replace(ValidRelease, "2026-11-02", "2026-12-25"), "releasedOn" }, // after today (2026-11-23)
        { Replace(ValidRelease, "\"releasedOn\":\"2026-11-02\",", ""), "releasedOn" },
        { Replace(ValidRelease, "\"communityProvider\":\"FORWARD-LEEDS\"", "\"communityProvider\":\"\""),
            "communityProvider" },
        { Replace(ValidRelease, "\"destinationLocalAuthority\":\"E08000035\"",
                "\"destinationLocalAuthority\":[\"E08000035\"]"),
            "destinationLocalAuthority" },
        { Replace(ValidRelease, "}", ",\"naloxoneSupplied\":\"yes\"}"), "naloxoneSupplied" },
        // duplicate field
        { Replace(ValidRelease, "}", ",\"naloxoneSupplied\":true,\"naloxoneSupplied\":false}"), "body" },
    };

    [Theory]
    [MemberData(nameof(BadReleases))]
    public async Task A_bad_release_is_a_400_naming_the_field_and_writes_nothing(string body, string field)
    {
        var journeyId = await Api.OpenAsync();
        var before = await Service.EventCountAsync();

        var response = await Api.Client.PostAsync(
            $"/api/v1/journeys/{journeyId}/release", new StringContent(body, Encoding.UTF8, "application/json"));

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, field);
        Assert.Equal(before, await Service.EventCountAsync());
    }

    [Theory]
    [InlineData("""{"startedOn":"tomorrow"}""", "startedOn")]
    [InlineData("""{"startedOn":null}""", "startedOn")]
    [InlineData("""{}""", "startedOn")]
    [InlineData("""{"startedOn":"2026-11-24"}""", "startedOn")] // after today
    [InlineData("""{"startDate":"2026-11-10"}""", "startDate")]
    public async Task A_bad_treatment_start_is_a_400_naming_the_field_and_writes_nothing(string body, string field)
    {
        var journeyId = await Api.ReleasedAsync(new LocalDate(2026, 11, 1));
        var before = await Service.EventCountAsync();

        var response = await Api.Client.PostAsync(
            $"/api/v1/journeys/{journeyId}/community-treatment-start",
            new StringContent(body, Encoding.UTF8, "application/json"));

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, field);
        Assert.Equal(before, await Service.EventCountAsync());
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_is_415()
    {
        var response = await Api.Client.PostAsync(
            "/api/v1/journeys", new StringContent(ValidRegistration, Encoding.UTF8, "text/plain"));
        await Problem.AssertAsync(response, HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(0, await Service.EventCountAsync());
    }

    [Fact]
    public async Task A_body_over_64_KiB_is_413()
    {
        var huge = Replace(ValidRegistration, "\"personRef\":\"P-1\"", $"\"personRef\":\"{new string('x', 70_000)}\"");
        var response = await Api.Client.PostAsync(
            "/api/v1/journeys", new StringContent(huge, Encoding.UTF8, "application/json"));
        await Problem.AssertAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(0, await Service.EventCountAsync());
    }

    [Fact]
    public async Task Several_problems_are_all_named_at_once()
    {
        var response = await Api.RegisterAsync(new { journeyRef = "LEI-MANY" });
        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest);
        var named = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Equal(["custodyTreatmentStartedOn", "personRef", "prisonCode", "sex", "substanceGroup"], named.Order());
    }

    private static string Replace(string json, string from, string to)
    {
        Assert.Contains(from, json); // the case must really change the valid body
        return json.Replace(from, to);
    }
}
