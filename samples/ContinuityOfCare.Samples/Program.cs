using System.Diagnostics;
using ContinuityOfCare.Samples;
using NodaTime;
using NodaTime.Text;

// Loads realistic synthetic journeys into a running service through its HTTP API (see the README's demo).
//   dotnet run --project samples/ContinuityOfCare.Samples -- [--url http://127.0.0.1:5080] [--journeys 600]
//       [--rate 0.5] [--seed 1] [--from YYYY-MM-DD] --token TOKEN
// The token must hold the prison and provider roles for the six sample prisons and providers (see the README).
var options = new Dictionary<string, string>();
for (var i = 0; i + 1 < args.Length; i += 2)
{
    if (!args[i].StartsWith("--", StringComparison.Ordinal))
    {
        return Usage($"unexpected '{args[i]}'");
    }

    options[args[i][2..]] = args[i + 1];
}

if (args.Length % 2 != 0 || options.Keys.Except(["url", "journeys", "rate", "seed", "from", "token"]).Any())
{
    return Usage("options come in pairs: --url, --journeys, --rate, --seed, --from, --token");
}

var today = SystemClock.Instance.GetCurrentInstant().InZone(DateTimeZoneProviders.Tzdb["Europe/London"]).Date;
var url = options.GetValueOrDefault("url", "http://127.0.0.1:5080");
if (!int.TryParse(options.GetValueOrDefault("journeys", "600"), out var journeys) || journeys is < 1 or > 100_000)
{
    return Usage("--journeys must be 1 to 100000");
}

if (!double.TryParse(options.GetValueOrDefault("rate", "0.5"), System.Globalization.CultureInfo.InvariantCulture, out var rate) || rate is < 0 or > 0.9)
{
    return Usage("--rate must be 0 to 0.9 (the share picked up within the window)");
}

if (!int.TryParse(options.GetValueOrDefault("seed", "1"), out var seed))
{
    return Usage("--seed must be a whole number");
}

var from = options.TryGetValue("from", out var fromText) ? LocalDatePattern.Iso.Parse(fromText) : ParseResult<LocalDate>.ForValue(today.PlusMonths(-6));
if (!from.Success || from.Value > today)
{
    return Usage("--from must be a date as YYYY-MM-DD, not after today");
}

var plans = SyntheticJourneys.Generate(new GeneratorSettings(journeys, from.Value, today, rate, seed));
Console.WriteLine($"Loading {plans.Count} journeys released {from.Value:uuuu-MM-dd} to {today:uuuu-MM-dd} (target rate {rate:P0}) into {url} ...");
var watch = Stopwatch.StartNew();
if (!options.TryGetValue("token", out var token))
{
    return Usage("--token is required: every request to the service needs a bearer token");
}

using var client = new HttpClient { BaseAddress = new Uri(url) };
client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
try
{
    await new JourneyLoader(client).LoadAsync(plans);
}
catch (Exception e) when (e is HttpRequestException or InvalidOperationException)
{
    Console.Error.WriteLine($"Loading stopped: {e.Message}");
    return 1;
}

var steps = plans.Sum(p => p.Steps.Count);
Console.WriteLine($"Posted {steps} requests in {watch.Elapsed.TotalSeconds:F1} s. Try:");
Console.WriteLine($"  curl -H \"Authorization: Bearer $ANALYST_TOKEN\" '{url}/api/v1/continuity?from={from.Value:uuuu-MM-dd}&to={today:uuuu-MM-dd}&by=prison'");
return 0;

static int Usage(string problem)
{
    Console.Error.WriteLine($"{problem}\nusage: dotnet run --project samples/ContinuityOfCare.Samples -- [--url URL] [--journeys N] [--rate 0.5] [--seed N] [--from YYYY-MM-DD] --token TOKEN");
    return 2;
}
