using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ContinuityOfCare.Tests.Support;
using NodaTime;

namespace ContinuityOfCare.Tests.Http;

/// <summary>
/// Thousands of generated malformed bodies (wrong types, unknown codes, malformed dates, huge strings, control
/// characters, unknown and duplicate fields, deep nesting, truncated JSON) posted to every write endpoint: each is a
/// problem+json 4xx without a stack trace, never a 500, and not one event is written.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class GeneratedMalformedInputTests(PostgresCluster postgres) : ServiceTests(postgres)
{
    private enum Kind { Text, Code, Date, Enum, Bool, Year }

    // Each write endpoint's valid body, with what kind of value each field holds.
    private static readonly (string Action, (string Field, Kind Kind, string Json)[] Fields)[] Endpoints =
    [
        ("", [("journeyRef", Kind.Text, "\"LEI-GEN-1\""), ("personRef", Kind.Text, "\"P-1\""),
              ("prisonCode", Kind.Code, "\"LEI\""), ("sex", Kind.Enum, "\"male\""),
              ("birthYear", Kind.Year, "1980"), ("substanceGroup", Kind.Enum, "\"opiate\""),
              ("custodyTreatmentStartedOn", Kind.Date, "\"2026-01-05\""), ("entryPoint", Kind.Enum, "\"arrest\"")]),
        ("release-schedule", [("releaseOn", Kind.Date, "\"2026-12-01\"")]),
        ("transfer", [("transferredOn", Kind.Date, "\"2026-11-01\""), ("toPrisonCode", Kind.Code, "\"WYI\"")]),
        ("referral", [("referredOn", Kind.Date, "\"2026-11-01\""), ("provider", Kind.Code, "\"CGL\"")]),
        ("handover-acknowledgement", [("firstAppointmentOn", Kind.Date, "\"2026-11-30\""),
                                      ("acknowledgedOn", Kind.Date, "\"2026-11-20\"")]),
        ("handover-decline", [("reason", Kind.Enum, "\"wrong-area\""), ("declinedOn", Kind.Date, "\"2026-11-20\"")]),
        ("handover-redirect", [("toProvider", Kind.Code, "\"CGL\""), ("redirectedOn", Kind.Date, "\"2026-11-20\"")]),
        ("appointment", [("appointmentOn", Kind.Date, "\"2026-11-30\"")]),
        ("missed-appointment", [("appointmentOn", Kind.Date, "\"2026-11-12\"")]),
        ("met-at-gate", [("metOn", Kind.Date, "\"2026-11-10\"")]),
        ("release", [("releasedOn", Kind.Date, "\"2026-11-10\""), ("releaseType", Kind.Enum, "\"licence\""),
                     ("destinationLocalAuthority", Kind.Code, "\"E08000035\""),
                     ("communityProvider", Kind.Code, "\"FORWARD-LEEDS\""), ("noFixedAbode", Kind.Bool, "false"),
                     ("naloxoneSupplied", Kind.Bool, "true"), ("metAtGate", Kind.Bool, "true")]),
        ("community-treatment-start", [("startedOn", Kind.Date, "\"2026-11-12\"")]),
        ("treatment-end", [("endedOn", Kind.Date, "\"2026-11-20\""), ("reason", Kind.Enum, "\"completed\"")]),
        ("death", [("diedOn", Kind.Date, "\"2026-11-20\"")]),
        ("deportation", [("deportedOn", Kind.Date, "\"2026-11-20\"")]),
        ("return-to-custody", [("returnedOn", Kind.Date, "\"2026-11-20\""), ("reason", Kind.Enum, "\"recall\"")]),
        ("corrections", [("fact", Kind.Enum, "\"release\""), ("correctedOn", Kind.Date, "\"2026-11-09\""),
                         ("reason", Kind.Text, "\"typo\"")]),
        ("erasure", [("requestRef", Kind.Text, "\"DPO-1\""), ("verifiedOn", Kind.Date, "\"2026-11-20\"")]),
    ];

    [Fact]
    public async Task Thousands_of_malformed_bodies_get_4xx_problems_and_write_nothing()
    {
        var journeyId = await Api.OpenAsync();
        var client = Service.ClientAs(
            ServiceFactory.Token(["prison", "provider", "operator"], ["LEI", "FORWARD-LEEDS"]));
        var before = await Service.EventCountAsync();
        var random = new Random(20261123);
        var failures = new List<string>();
        var posted = 0;

        foreach (var (action, fields) in Endpoints)
        {
            var url = action == "" ? "/api/v1/journeys" : $"/api/v1/journeys/{journeyId}/{action}";
            for (var i = 0; i < 130; i++)
            {
                var body = Malformed(random, fields);
                var response = await client.PostAsync(url, new StringContent(body, Encoding.UTF8, "application/json"));
                posted++;
                var text = await response.Content.ReadAsStringAsync();
                var status = (int)response.StatusCode;
                if (status is < 400 or >= 500
                    || response.Content.Headers.ContentType?.MediaType != "application/problem+json"
                    || text.Contains("   at "))
                {
                    failures.Add($"{url} {status}: {Shorten(body)} -> {Shorten(text)}");
                }
            }
        }

        Assert.True(posted >= 2000, $"only {posted} bodies posted");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        Assert.Equal(before, await Service.EventCountAsync());
    }

    private static string Malformed(Random random, (string Field, Kind Kind, string Json)[] fields)
    {
        var valid = "{" + string.Join(",", fields.Select(f => $"\"{f.Field}\":{f.Json}")) + "}";
        var target = fields[random.Next(fields.Length)];
        string With(string json) =>
            "{"
            + string.Join(",", fields.Select(f => $"\"{f.Field}\":{(f.Field == target.Field ? json : f.Json)}"))
            + "}";

        switch (random.Next(9))
        {
            case 0: // wrong type for the field
                return With(target.Kind switch
                {
                    Kind.Bool => Pick(random, "\"yes\"", "1", "[]", "{}"),
                    Kind.Year => Pick(random, "\"1980\"", "1980.5", "true", "[1980]", "99999999999999999999"),
                    _ => Pick(random, "42", "true", "[]", "{}", "-1.5e300"),
                });
            case 1: // a value of the right type that the contract does not allow
                return With(target.Kind switch
                {
                    Kind.Date => Pick(
                        random, "\"2026-13-45\"", "\"yesterday\"", "\"2026-1-1\"", "\"\"", "\"2026-11-10T00:00:00Z\"",
                        "\"10/11/2026\"", "\"+2026-11-10\""),
                    Kind.Enum => Pick(
                        random, "\"unknown-code\"", "\"Licence\"", "\"OPIATE\"", "\"opiate, alcohol\"", "\"\"",
                        "\"0\""),
                    Kind.Code => Pick(random, "\"has space\"", "\"\"", $"\"{new string('C', 33)}\"", "\"semi;colon\""),
                    Kind.Year => Pick(random, "1850", "3000", "-1"),
                    Kind.Bool => "\"true\"",
                    _ => Pick(random, "\"\"", "\"   \"", " \" padded\"", $"\"{new string('x', 501)}\""),
                });
            case 2: // control characters
                return target.Kind == Kind.Bool || target.Kind == Kind.Year
                    ? With("\"\\u0001\"")
                    : With($"\"{Unquote(target.Json)}\\u000{random.Next(0, 9)}\"");
            case 3: // a huge string
                return With($"\"{new string('A', random.Next(2, 3) * 40_000)}\"");
            case 4: // deep nesting
                return With(new string('[', 200) + new string(']', 200));
            case 5: // an unknown field
                return valid.Insert(1, $"\"{Pick(random, "unknown", "personref", "__proto__", "ReleasedOn")}\":1,");
            case 6: // a duplicate field
                return valid.Insert(1, $"\"{target.Field}\":{target.Json},");
            case 7: // truncated
                return valid[..random.Next(1, valid.Length - 1)];
            default: // not JSON
                return Pick(
                    random, "", "null", "[]", "\"text\"", "<xml/>", "{'single':'quotes'}", "{\"a\":NaN}",
                    "\u0000\u0001\u0002");
        }
    }

    private static string Pick(Random random, params string[] options) => options[random.Next(options.Length)];

    private static string Unquote(string json) => json.Trim('"');

    private static string Shorten(string text) => text.Length <= 160 ? text : text[..160] + "…";
}
