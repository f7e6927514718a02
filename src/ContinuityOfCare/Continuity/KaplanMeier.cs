using NodaTime;

namespace ContinuityOfCare.Continuity;

/// <summary>
/// Day <see cref="Day"/> after release: how many were still waiting for a pickup at its start (at risk), picked up
/// on it, and last seen on it without one (censored: still pending today); the estimated share picked up by its end,
/// with a 95% confidence band. Share, Lower and Upper are null when nothing can be estimated (nobody left at risk);
/// Lower and Upper are null while nobody (or everybody) has been picked up, where the band is not defined.
/// </summary>
public sealed record PickupEstimateDay(
    int Day, int AtRisk, int PickedUp, int Censored, double? Share, double? Lower, double? Upper);

/// <summary>
/// The share picked up by each day 0..window, estimated with people still pending counted for the days they have
/// been seen (Kaplan-Meier), beside the plain distribution, which leaves them out until their window closes.
/// </summary>
public sealed record PickupEstimate(
    string Method, string Band, int Observed, int Pending, IReadOnlyList<PickupEstimateDay> Days)
{
    public const string KaplanMeierMethod = "kaplan-meier";

    public const string LogLogBand = "greenwood-log-log-95";
}

/// <summary>
/// The Kaplan-Meier (product-limit) estimate of the share picked up by each day after release, with a 95% band from
/// Greenwood's variance on the log-log scale. Pure.
/// <para>
/// Log-log (the complementary log-log of the share still waiting, as in Kalbfleisch and Prentice, and the default
/// of Stata's sts and SAS's LIFETEST) rather than the plain band S ± 1.96 se: the plain band leaves [0, 1] and is
/// too narrow near 0 and 1 with the small groups analysts look at, while the log-log band stays inside [0, 1] and
/// keeps close to its nominal coverage down to a few dozen people.
/// </para>
/// </summary>
public static class KaplanMeier
{
    /// <summary>The normal quantile for a two-sided 95% band.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>
    /// What a released journey tells the estimate, as of <paramref name="today"/>: picked up on day N (an event,
    /// late ones too), or seen without a pickup up to day N (today: censored). Null for journeys the rate leaves out
    /// (excluded), which are left out here as well.
    /// </summary>
    public static (int Day, bool PickedUp)? Observation(ContinuityFacts facts, LocalDate today, ContinuityRules rules)
    {
        if (ReleaseOutcomes.Classify(facts, today, rules).Outcome == ReleaseOutcome.Excluded)
        {
            return null;
        }

        return facts.Pickup is { } pickup
            ? (ContinuityWindow.DayNumber(facts.ReleasedOn, pickup), true)
            : (ContinuityWindow.DayNumber(facts.ReleasedOn, today), false);
    }

    /// <summary>
    /// The estimate for days 0..<paramref name="lastDay"/>. Someone seen without a pickup up to day N is at risk on
    /// days 0..N (a pickup on that day would have counted) and leaves the risk set after it.
    /// </summary>
    public static IReadOnlyList<PickupEstimateDay> Estimate(
        IEnumerable<(int Day, bool PickedUp)> observations, int lastDay) =>
        EstimateCounted(observations.Select(o => (o.Day, o.PickedUp, 1)), lastDay);

    /// <summary>The same over observations counted: <c>Count</c> people each.</summary>
    public static IReadOnlyList<PickupEstimateDay> EstimateCounted(
        IEnumerable<(int Day, bool PickedUp, int Count)> observations, int lastDay)
    {
        var pickedUpOn = new int[lastDay + 1];
        var censoredOn = new int[lastDay + 1];
        var atRisk = 0;
        foreach (var (day, pickedUp, count) in observations)
        {
            if (day < 0)
            {
                continue; // released after today: not yet seen on any day
            }

            atRisk += count;
            if (day <= lastDay)
            {
                (pickedUp ? pickedUpOn : censoredOn)[day] += count;
            }
        }

        var days = new List<PickupEstimateDay>(lastDay + 1);
        double waiting = 1, greenwood = 0;
        var ended = false;
        for (var day = 0; day <= lastDay; day++)
        {
            var (events, censored) = (pickedUpOn[day], censoredOn[day]);
            if (atRisk == 0 && !ended)
            {
                days.Add(new PickupEstimateDay(day, 0, 0, 0, null, null, null)); // nobody left to see
                continue;
            }

            if (events > 0)
            {
                waiting *= 1 - (double)events / atRisk;
                greenwood = events < atRisk ? greenwood + (double)events / (atRisk * (double)(atRisk - events)) : 0;
                ended = events == atRisk;
            }

            var (lower, upper) = Band(waiting, greenwood);
            days.Add(new PickupEstimateDay(day, atRisk, events, censored, 1 - waiting, lower, upper));
            atRisk -= events + censored;
        }

        return days;
    }

    /// <summary>
    /// The band for the share picked up, 1 - S, from the log-log band for S: S^exp(±z·σ), where σ² is Greenwood's
    /// sum Σ d/(n(n-d)) over (log S)². Not defined where S is 1 (nobody picked up yet) or 0 (everybody).
    /// </summary>
    public static (double? Lower, double? Upper) Band(double waiting, double greenwood)
    {
        if (waiting is <= 0 or >= 1)
        {
            return (null, null);
        }

        var spread = Math.Exp(Z95 * Math.Sqrt(greenwood) / Math.Abs(Math.Log(waiting)));
        return (1 - Math.Pow(waiting, 1 / spread), 1 - Math.Pow(waiting, spread));
    }
}
