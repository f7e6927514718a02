using NodaTime;

namespace ContinuityOfCare.Samples;

/// <summary>Settings for <see cref="SyntheticJourneys"/>.</summary>
public sealed record GeneratorSettings(
    int Journeys,
    LocalDate ReleasesFrom,
    LocalDate Today,
    double TargetRate = 0.5,
    int Seed = 1,
    double LateShare = 0.1,
    double CorrectionShare = 0.05);

/// <summary>
/// Realistic synthetic journeys: six prisons in England and Wales with their home local authorities and providers,
/// NDTMS-like mixes of substance groups, sexes and ages, release types, exits, treatment endings, redirects,
/// backdated (late-recorded) pickups and corrected release dates. Of journeys whose outcome will be known, about
/// <see cref="GeneratorSettings.TargetRate"/> are picked up within 21 days.
/// </summary>
public static class SyntheticJourneys
{
    /// <summary>
    /// The sample prisons and providers: a token for loading needs the prison and provider roles for all of them.
    /// </summary>
    public static readonly (string Prison, string LocalAuthority, string Provider)[] Areas =
    [
        ("LEI", "E08000035", "FORWARD-LEEDS"),
        ("WDI", "E08000036", "CGL-WAKEFIELD"),
        ("HLI", "E06000010", "RENEW-HULL"),
        ("DMI", "E06000047", "HUMANKIND-DURHAM"),
        ("NMI", "E06000018", "FRAMEWORK-NOTTS"),
        ("BWI", "W06000006", "WCADA-WREXHAM"),
    ];

    public static IReadOnlyList<JourneyPlan> Generate(GeneratorSettings settings) => Stream(settings).ToList();

    /// <summary>The same journeys as <see cref="Generate"/>, one at a time: a million do not fit in memory.</summary>
    public static IEnumerable<JourneyPlan> Stream(GeneratorSettings settings)
    {
        var random = new Random(settings.Seed);
        var span = Period.DaysBetween(settings.ReleasesFrom, settings.Today);
        return Enumerable.Range(0, settings.Journeys).Select(i => One(random, settings, span, i));
    }

    private static JourneyPlan One(Random random, GeneratorSettings settings, int span, int index)
    {
        var today = settings.Today;
        var home = random.Next(Areas.Length);
        var (prison, _, _) = Areas[home];
        var journeyRef = $"{prison}-S{settings.Seed}-{index:D6}";
        var personRef = $"P-{settings.Seed}-{random.Next(1_000_000):D6}";
        var sex = Pick(random, ("male", 85), ("female", 13), ("other", 1), ("unknown", 1));
        var substance = Pick(
            random, ("opiate", 50), ("non-opiate", 15), ("non-opiate-and-alcohol", 15), ("alcohol", 20));
        var releasedOn = settings.ReleasesFrom.PlusDays(random.Next(span + 1));
        var custodyStart = releasedOn.PlusDays(-random.Next(30, 400));
        int? birthYear = random.Next(100) < 5
            ? null
            : releasedOn.Year - Math.Clamp((int)(38 + 10 * Gaussian(random)), 18, 80);
        var registration = new
        {
            journeyRef, personRef, prisonCode = prison, sex, birthYear, substanceGroup = substance,
            custodyTreatmentStartedOn = custodyStart,
        };
        var steps = new List<PlannedStep>();

        if (random.Next(100) < 8)
        {
            // Still in custody: due out soon, perhaps referred already.
            var opened = today.PlusDays(-random.Next(0, 10));
            steps.Add(new(opened, 0, "", registration));
            steps.Add(new(opened, 1, "release-schedule", new { releaseOn = today.PlusDays(random.Next(1, 20)) }));
            if (random.Next(2) == 0)
            {
                steps.Add(new(opened, 2, "referral", new { referredOn = opened, provider = Areas[home].Provider }));
            }

            return new JourneyPlan(
                journeyRef, personRef, prison, sex, birthYear, substance, custodyStart,
                null, null, null, null, null, null, steps);
        }

        // Most go home; some to another area.
        var area = random.Next(100) < 85 ? Areas[home] : Areas[random.Next(Areas.Length)];
        var release = new PlannedRelease(
            releasedOn,
            Pick(
                random, ("licence", 50), ("end-of-sentence", 20), ("home-detention-curfew", 10), ("court", 8),
                ("remand-ended", 10), ("other", 2)),
            area.LocalAuthority, area.Provider,
            random.Next(100) < 5 ? null : random.Next(100) < 12,
            random.Next(100) < 5 ? null : random.Next(100) < 60,
            random.Next(100) < 20);
        var releaseRecorded = Min(releasedOn.PlusDays(random.Next(0, 4)), today);
        steps.Add(new(releaseRecorded, 0, "", registration));
        steps.Add(new(releaseRecorded, 1, "release", new
        {
            releasedOn, releaseType = release.ReleaseType, destinationLocalAuthority = release.LocalAuthority,
            communityProvider = release.Provider,
            noFixedAbode = release.NoFixedAbode, naloxoneSupplied = release.Naloxone, metAtGate = release.MetAtGate,
        }));

        string? redirectedTo = null;
        if (random.Next(100) < 6)
        {
            redirectedTo = Areas[(Array.FindIndex(Areas, a => a.Provider == area.Provider) + 1) % Areas.Length]
                .Provider;
            steps.Add(new(releaseRecorded, 2, "handover-redirect", new { toProvider = redirectedTo }));
        }
        else if (random.Next(100) < 70)
        {
            steps.Add(new(releaseRecorded, 2, "handover-acknowledgement", new { }));
        }

        // Pickup day: early days are the most common; some come late.
        var roll = random.NextDouble();
        int? pickupDay = roll < settings.TargetRate ? (random.Next(100) < 35 ? random.Next(0, 3) : random.Next(0, 22))
            : roll < settings.TargetRate + settings.LateShare ? random.Next(22, 70)
            : null;
        LocalDate? pickup = pickupDay is { } d && releasedOn.PlusDays(d) <= today ? releasedOn.PlusDays(d) : null;

        (ExitKind, LocalDate)? exit = null;
        var exitRoll = random.Next(100);
        if (exitRoll < 9)
        {
            var kind = exitRoll < 2 ? ExitKind.Died : exitRoll < 3 ? ExitKind.Deported : ExitKind.ReturnedToCustody;
            var on = releasedOn.PlusDays(random.Next(0, 60));
            if (on <= today)
            {
                exit = (kind, on);
                if (pickup is { } p && p > on)
                {
                    pickup = null; // nobody starts treatment in the community after dying or going back inside
                }
            }
        }

        var lastRecorded = releaseRecorded;
        if (pickup is { } started)
        {
            // Usually recorded within days; one in ten weeks later (backdated).
            var delay = random.Next(100) < 10 ? random.Next(20, 45) : random.Next(0, 8);
            var recorded = Clamp(started.PlusDays(delay), releaseRecorded, today);
            steps.Add(new(recorded, 4, "community-treatment-start", new { startedOn = started }));
            lastRecorded = Max(lastRecorded, recorded);
        }

        if (exit is { } e)
        {
            var recorded = Clamp(e.Item2.PlusDays(random.Next(0, 20)), releaseRecorded, today);
            var (action, body) = e.Item1 switch
            {
                ExitKind.Died => ("death", (object)new { diedOn = e.Item2 }),
                ExitKind.Deported => ("deportation", new { deportedOn = e.Item2 }),
                _ => ("return-to-custody", new
                {
                    returnedOn = e.Item2, reason = Pick(random, ("recall", 70), ("remand", 20), ("new-sentence", 10)),
                }),
            };
            steps.Add(new(recorded, 3, action, body)); // same day as a pickup: recorded first, out of business order
            lastRecorded = Max(lastRecorded, recorded);
        }

        (LocalDate, string)? ending = null;
        if (pickup is { } from && random.Next(100) < 35)
        {
            var on = from.PlusDays(random.Next(1, 120));
            if (on <= today && (exit is null || on <= exit.Value.Item2))
            {
                ending = (on,
                    Pick(random, ("dropped-out", 60), ("completed", 25), ("transferred", 10), ("custody", 5)));
                var recorded = Clamp(on.PlusDays(random.Next(0, 10)), lastRecorded, today);
                steps.Add(new(recorded, 5, "treatment-end", new { endedOn = on, reason = ending.Value.Item2 }));
                lastRecorded = Max(lastRecorded, recorded);
            }
        }

        LocalDate? correctedTo = null;
        if (random.NextDouble() < settings.CorrectionShare)
        {
            // The release date was keyed wrongly: corrected within the bounds the other dates allow.
            var corrected = releasedOn.PlusDays(random.Next(1, 4) * (random.Next(2) == 0 ? -1 : 1));
            var latestAllowed = Min(Min(pickup ?? today, exit?.Item2 ?? today), today);
            if (corrected != releasedOn && corrected <= latestAllowed && corrected >= custodyStart)
            {
                var recorded = Min(lastRecorded.PlusDays(random.Next(1, 10)), today);
                if (recorded >= corrected)
                {
                    steps.Add(new(recorded, 6, "corrections", new
                    {
                        fact = "release", correctedOn = corrected, reason = "release date keyed from the wrong record",
                    }));
                    correctedTo = corrected;
                }
            }
        }

        var lapseReasons = LapseReasons(settings, index, releasedOn, correctedTo, exit, steps);
        return new JourneyPlan(
            journeyRef, personRef, prison, sex, birthYear, substance, custodyStart,
            release, correctedTo, redirectedTo, pickup, exit, ending, steps, lapseReasons);
    }

    /// <summary>The coded reasons a provider or prison gives for a lapsed window (POST .../lapse-reason).</summary>
    public static readonly string[] LapseReasonCodes =
    [
        "not-referred", "referral-declined", "no-contact-details", "did-not-attend", "declined-treatment",
        "moved-area", "in-hospital", "returned-to-custody-not-recorded", "died-not-recorded", "other",
    ];

    /// <summary>
    /// For most windows that close with no pickup recorded, a reason some days later, sometimes corrected; a pickup or
    /// an exit in the window may still be recorded after it (backdated). Drawn from a generator of the journey's own,
    /// so the rest of the plans are as they were before lapse reasons existed.
    /// </summary>
    private static List<(LocalDate, string)> LapseReasons(
        GeneratorSettings settings, int index, LocalDate releasedOn, LocalDate? correctedTo,
        (ExitKind Kind, LocalDate On)? exit, List<PlannedStep> steps)
    {
        var random = new Random(settings.Seed * 100_003 + index);
        var reasons = new List<(LocalDate, string)>();
        var latest = Max(releasedOn, correctedTo ?? releasedOn);
        var earliest = Min(releasedOn, correctedTo ?? releasedOn);
        var pickupRecorded = steps.FirstOrDefault(s => s.Action == "community-treatment-start")?.RecordedOn;
        var exitRecorded = steps.FirstOrDefault(s => s.Action is "death" or "deportation" or "return-to-custody")
            ?.RecordedOn;
        // Lapsed as the service knows it on that day: the window closed, and no pickup or exit in it recorded yet.
        bool Lapsed(LocalDate on) =>
            on > latest.PlusDays(21) && on <= settings.Today
            && !(pickupRecorded <= on)
            && !(exit is { } e && e.On >= earliest && e.On <= latest.PlusDays(21) && exitRecorded <= on);

        var first = latest.PlusDays(22 + random.Next(0, 21));
        if (random.Next(100) >= 60 || !Lapsed(first))
        {
            return reasons;
        }

        var code = LapseReasonCodes[random.Next(LapseReasonCodes.Length)];
        reasons.Add((first, code));
        steps.Add(new(first, 7, "lapse-reason", LapseBody(code)));
        var later = first.PlusDays(random.Next(1, 15));
        var other = LapseReasonCodes[random.Next(LapseReasonCodes.Length)];
        if (random.Next(100) < 15 && other != code && Lapsed(later))
        {
            reasons.Add((later, other));
            steps.Add(new(later, 8, "lapse-reason", LapseBody(other)));
        }

        return reasons;
    }

    private static object LapseBody(string code) =>
        code == "other" ? new { reason = code, text = "reason given in free text" } : new { reason = code };

    private static string Pick(Random random, params (string Value, int Weight)[] choices)
    {
        var roll = random.Next(choices.Sum(c => c.Weight));
        foreach (var (value, weight) in choices)
        {
            if ((roll -= weight) < 0)
            {
                return value;
            }
        }

        return choices[^1].Value;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static LocalDate Min(LocalDate a, LocalDate b) => a < b ? a : b;

    private static LocalDate Max(LocalDate a, LocalDate b) => a > b ? a : b;

    private static LocalDate Clamp(LocalDate value, LocalDate low, LocalDate high) => Min(Max(value, low), high);
}
