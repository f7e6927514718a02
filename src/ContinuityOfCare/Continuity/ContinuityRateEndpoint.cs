using System.Globalization;
using System.Text;
using ContinuityOfCare.Http;
using Marten;
using NodaTime;
using NodaTime.Text;
using Wolverine.Http;

namespace ContinuityOfCare.Continuity;

public sealed record ContinuityGroup(
    string Key,
    int? Released,
    int? Engaged,
    int? EngagedLate,
    int? NotEngaged,
    int? Pending,
    int? Excluded,
    double? Rate,
    bool Suppressed)
{
    public static ContinuityGroup From(string key, ContinuityTally tally) => new(
        key, tally.Released, tally.Engaged, tally.EngagedLate, tally.NotEngaged, tally.Pending,
        // No exclusion rules exist yet (died, deported, returned to custody come with the full pathway).
        Excluded: 0, tally.Rate, Suppressed: false);
}

/// <summary>
/// Continuity figures for releases in [From, To] as they stand on <see cref="AsOf"/>. Final once every window in
/// the period has closed; provisional before, because pending journeys can still be picked up.
/// </summary>
public sealed record ContinuityReport(
    LocalDate From,
    LocalDate To,
    int WindowDays,
    LocalDate AsOf,
    bool Final,
    ContinuityGroup Total,
    IReadOnlyList<ContinuityGroup> Groups);

public static class ContinuityRateEndpoint
{
    [WolverineGet("/api/v1/continuity")]
    public static async Task<IResult> Get(
        HttpRequest request, IQuerySession session, IClock clock, ContinuitySettings settings, CancellationToken cancellation)
    {
        var errors = new ValidationErrors();
        var from = QueryDate(request, "from", errors);
        var to = QueryDate(request, "to", errors);
        if (from is { } f && to is { } t && f > t)
        {
            errors.Add("to", $"must not be before from ({f.Iso()})");
        }

        if (request.Query.ContainsKey("by"))
        {
            // Breakdowns need small-number suppression before they can be shown; until then only the total is served.
            errors.Add("by", "breakdowns are not available yet: ask for the total without 'by'");
        }

        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }

        var window = settings.Window;
        var today = LondonCalendar.Today(clock);
        var cohort = await session.Query<ReleaseCohortEntry>()
            .Where(e => e.ReleasedOn >= from!.Value && e.ReleasedOn <= to!.Value)
            .ToListAsync(cancellation);

        var tally = ContinuityTally.Of(cohort.Select(e => ReleaseOutcomes.Classify(e.ReleasedOn!.Value, e.PickedUpOn, today, window)));
        var report = new ContinuityReport(
            from!.Value, to!.Value, window.Days, today, Final: !window.IsOpenOn(to.Value, today),
            ContinuityGroup.From("all", tally), []);

        return WantsCsv(request) ? Results.Text(Csv(report), "text/csv; charset=utf-8") : Results.Ok(report);
    }

    private static LocalDate? QueryDate(HttpRequest request, string name, ValidationErrors errors)
    {
        var text = request.Query[name].ToString();
        if (string.IsNullOrEmpty(text))
        {
            errors.Add(name, "is required, as YYYY-MM-DD");
            return null;
        }

        var parsed = LocalDatePattern.Iso.Parse(text);
        if (!parsed.Success)
        {
            errors.Add(name, "must be a date as YYYY-MM-DD");
            return null;
        }

        return parsed.Value;
    }

    private static bool WantsCsv(HttpRequest request) =>
        request.Headers.Accept.Any(a => a is not null && a.Contains("text/csv", StringComparison.OrdinalIgnoreCase));

    /// <summary>The same table as the JSON: one row for the total, then one per group.</summary>
    public static string Csv(ContinuityReport report)
    {
        var csv = new StringBuilder("key,released,engaged,engagedLate,notEngaged,pending,excluded,rate,suppressed\n");
        foreach (var g in new[] { report.Total }.Concat(report.Groups))
        {
            csv.Append(CultureInfo.InvariantCulture,
                $"{Quote(g.Key)},{g.Released},{g.Engaged},{g.EngagedLate},{g.NotEngaged},{g.Pending},{g.Excluded},{g.Rate?.ToString("R", CultureInfo.InvariantCulture)},{(g.Suppressed ? "true" : "false")}\n");
        }

        return csv.ToString();
    }

    private static string Quote(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"") + "\"";
}
