using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ContinuityOfCare.Samples;
using Microsoft.Extensions.Http.Resilience;
using NodaTime;
using NodaTime.Text;
using Polly;
using Spectre.Console;

// Loads realistic synthetic journeys into a running service through its HTTP API (see the README's demo).
var today = SystemClock.Instance.GetCurrentInstant().InZone(DateTimeZoneProviders.Tzdb["Europe/London"]).Date;
// The start of the previous financial year (April to March), so a financial-year table has two years to show.
var previousFinancialYear = new LocalDate(today.Month >= 4 ? today.Year - 1 : today.Year - 2, 4, 1);

var url = new Option<Uri>("--url")
{
    Description = "The service's address",
    DefaultValueFactory = _ => new Uri("http://127.0.0.1:5080"),
    // System.CommandLine has no parser of its own for Uri.
    CustomParser = r =>
    {
        if (Uri.TryCreate(r.Tokens.Single().Value, UriKind.Absolute, out var address)
            && address.Scheme is "http" or "https")
        {
            return address;
        }

        r.AddError("--url must be an absolute http or https address, such as http://127.0.0.1:5080");
        return null;
    },
};
var journeys = new Option<int>("--journeys")
{
    Description = "How many journeys, 1 to 100000",
    DefaultValueFactory = _ => 600,
};
journeys.Validators.Add(r =>
{
    if (r.GetValueOrDefault<int>() is < 1 or > 100_000)
    {
        r.AddError("--journeys must be 1 to 100000");
    }
});
var rate = new Option<double>("--rate")
{
    Description = "The share of journeys with a known outcome picked up within the window, 0 to 0.9",
    DefaultValueFactory = _ => 0.5,
};
rate.Validators.Add(r =>
{
    if (r.GetValueOrDefault<double>() is < 0 or > 0.9)
    {
        r.AddError("--rate must be 0 to 0.9");
    }
});
var seed = new Option<int>("--seed")
{
    Description = "The generator's seed: the same seed loads the same journeys",
    DefaultValueFactory = _ => 1,
};
var from = new Option<string>("--from")
{
    Description = "The first release date, YYYY-MM-DD: by default the start of the previous financial year",
    DefaultValueFactory = _ => LocalDatePattern.Iso.Format(previousFinancialYear),
};
from.Validators.Add(r =>
{
    var parsed = LocalDatePattern.Iso.Parse(r.GetValueOrDefault<string>() ?? "");
    if (!parsed.Success || parsed.Value > today)
    {
        r.AddError("--from must be a date as YYYY-MM-DD, not after today");
    }
});
var token = new Option<string>("--token")
{
    Description = "A bearer token with the prison and provider roles for the six sample prisons and providers",
    Required = true,
};

var command = new RootCommand(
    "Loads synthetic journeys into a running Continuity of Care service through its HTTP API.")
{
    url, journeys, rate, seed, from, token,
};
command.SetAction(async (parse, cancellation) =>
{
    var start = LocalDatePattern.Iso.Parse(parse.GetValue(from)!).Value;
    var plans = SyntheticJourneys.Generate(
        new GeneratorSettings(parse.GetValue(journeys), start, today, parse.GetValue(rate), parse.GetValue(seed)));
    var address = parse.GetValue(url)!;
    AnsiConsole.MarkupLineInterpolated(
        $"Loading [bold]{plans.Count}[/] journeys released {start:uuuu-MM-dd} to {today:uuuu-MM-dd} into {address}");

    using var client = ResilientClient(address, parse.GetValue(token)!);
    var steps = plans.Sum(p => p.Steps.Count);
    var watch = Stopwatch.StartNew();
    try
    {
        await AnsiConsole.Progress().StartAsync(async progress =>
        {
            var posted = progress.AddTask("Posting requests", maxValue: steps);
            await new JourneyLoader(client, posted: () => posted.Increment(1))
                .LoadAsync(plans, cancellation: cancellation);
        });
    }
    catch (Exception e) when (e is HttpRequestException or InvalidOperationException)
    {
        AnsiConsole.MarkupLineInterpolated($"[red]Loading stopped:[/] {e.Message}");
        AnsiConsole.WriteLine(
            "Run the same command again: every request carries an Idempotency-Key, so nothing is posted twice.");
        return 1;
    }

    var seconds = watch.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture);
    AnsiConsole.MarkupLineInterpolated($"Posted {steps} requests in {seconds} s. Try:");
    // Written plainly, so a narrow terminal does not break the command across lines.
    Console.WriteLine(
        $"  curl -H \"Authorization: Bearer $ANALYST\" " +
        $"'{address}api/v1/continuity?from={start:uuuu-MM-dd}&to={today:uuuu-MM-dd}&by=financialYear'");
    return 0;
});

return await command.Parse(args).InvokeAsync();

// Retries what a busy or restarting service answers (429, 408, 5xx, a lost connection), waiting as its Retry-After
// asks; the Idempotency-Key on every request makes a repeat safe.
static HttpClient ResilientClient(Uri address, string token)
{
    var retry = new ResiliencePipelineBuilder<HttpResponseMessage>()
        .AddRetry(new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = 8,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(200),
            ShouldRetryAfterHeader = true,
        })
        .Build();
    var client = new HttpClient(new ResilienceHandler(retry) { InnerHandler = new SocketsHttpHandler() })
    {
        BaseAddress = address,
    };
    client.DefaultRequestHeaders.Authorization =
        new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
    return client;
}
