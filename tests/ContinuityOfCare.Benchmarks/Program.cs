using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using ContinuityOfCare.Benchmarks.Scale;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Journeys;
using ContinuityOfCare.Journeys.Corrections;
using ContinuityOfCare.Journeys.Registration;
using ContinuityOfCare.Journeys.Release;
using ContinuityOfCare.Journeys.TreatmentStart;
using NodaTime;

if (args is ["scale", .. var options])
{
    // The whole service at scale (README, "Benchmarks"); with no subcommand, BenchmarkDotNet's switcher as before.
    return await ScaleRun.RunAsync(options);
}

BenchmarkSwitcher.FromAssembly(typeof(ContinuityQuery).Assembly).Run(args);
return 0;

/// <summary>
/// What a continuity request costs once the cohort projection has folded each journey, against the baseline of
/// replaying every journey's events per request (what an "as of" request, or a service without the projection, does).
/// Both produce the same tally; the Ratio column is the point.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class ContinuityQuery
{
    private static readonly LocalDate Today = new(2026, 11, 23);
    private readonly ContinuityRules _rules = ContinuityRules.Default;
    private List<object[]> _streams = [];
    private List<JourneyFacts> _projected = [];

    [Params(10_000, 100_000)]
    public int Journeys { get; set; }

    [GlobalSetup]
    public void Generate()
    {
        var random = new Random(20261123);
        string[] prisons = ["LEI", "WDI", "HLI", "DMI", "NMI", "BWI"];
        _streams = Enumerable.Range(0, Journeys).Select(i =>
        {
            var released = new LocalDate(2026, 1, 1).PlusDays(random.Next(320));
            var events = new List<object>
            {
                new JourneyOpened(
                    $"J-{i}", $"P-{i}", prisons[random.Next(prisons.Length)], Sex.Male, 1980 + random.Next(30),
                    SubstanceGroup.Opiate, released.PlusDays(-200)),
                new ReleasedFromCustody(
                    released, ReleaseType.Licence, "E08000035", "FORWARD-LEEDS", false, true, random.Next(5) == 0),
            };
            if (random.Next(10) < 6)
            {
                events.Add(new CommunityTreatmentStarted(released.PlusDays(random.Next(40))));
            }

            if (random.Next(20) == 0)
            {
                events.Add(new DateCorrected(CorrectableDate.Release, released, released.PlusDays(-1), "typo"));
            }

            return events.ToArray();
        }).ToList();
        _projected = _streams.Select(Fold).ToList();
    }

    [Benchmark(Baseline = true, Description = "replay every journey's events, then classify")]
    public ContinuityTally ReplayPerRequest() => Tally(_streams.Select(Fold));

    [Benchmark(Description = "classify the projected facts (a request today)")]
    public ContinuityTally ClassifyProjection() => Tally(_projected);

    [Benchmark(Description = "classify, break down by prison, suppress")]
    public int BreakdownByPrison()
    {
        var query = new AnalystQuery(new LocalDate(2026, 1, 1), Today, Dimension.Prison, Today, IsToday: true);
        var (_, groups) = query.Tabulate(
            _projected,
            (key, journeys) => ContinuityGroup.From(
                key, ContinuityTally.Of(journeys.Select(j => ReleaseOutcomes.Classify(j.Continuity!, Today, _rules)))),
            ContinuityGroup.Hidden);
        return groups.Count;
    }

    private ContinuityTally Tally(IEnumerable<JourneyFacts> journeys) =>
        ContinuityTally.Of(journeys.Select(j => ReleaseOutcomes.Classify(j.Continuity!, Today, _rules)));

    private static JourneyFacts Fold(object[] events) =>
        events.Aggregate((JourneyFacts?)null, JourneyFacts.Fold)!;
}
