using System.Globalization;
using System.Text;
using ContinuityOfCare.Access;
using ContinuityOfCare.Http;
using ContinuityOfCare.Journeys;
using Marten;
using NodaTime;
using NodaTime.Text;

namespace ContinuityOfCare.Continuity;

/// <summary>
/// What every analyst table is asked: releases in [From, To], optionally broken down by one dimension, as known at the
/// end of <see cref="AsOf"/> (today unless given).
/// </summary>
public sealed record AnalystQuery(
    LocalDate From, LocalDate To, Dimension? By, LocalDate AsOf, bool IsToday, bool Unsuppressed = false)
{
    /// <summary>The longest range of release dates one request may cover.</summary>
    public const int MaxYears = 10;

    /// <summary>
    /// The threshold these figures were suppressed with: 1 (nothing suppressed) when asked unsuppressed.
    /// </summary>
    public int SuppressionThreshold { get; init; } = Disclosure.DefaultThreshold;

    public static (AnalystQuery? Query, IResult? Problem) Parse(HttpRequest request, LocalDate today)
    {
        var errors = new ValidationErrors();
        var from = QueryDate(request, "from", errors, required: true);
        var to = QueryDate(request, "to", errors, required: true);
        var asOf = QueryDate(request, "asOf", errors, required: false) ?? today;
        if (from is { } f && to is { } t && f > t)
        {
            errors.Add("to", $"must not be before from ({f.Iso()})");
        }
        else if (from is { } first && to is { } last && last >= first.PlusYears(MaxYears))
        {
            // Bounds the work and the answer: by=month then has at most 120 groups.
            errors.Add(
                "to",
                $"must be less than {MaxYears} years after from ({first.Iso()}): ask for several periods instead");
        }

        if (to > today.PlusYears(Fields.PlannedYearsAhead))
        {
            errors.Add("to", $"is more than {Fields.PlannedYearsAhead} years after today ({today.Iso()})");
        }

        if (asOf > today)
        {
            errors.Add(
                "asOf", $"is after today ({today.Iso()} in Europe/London): figures cannot be known before they happen");
        }

        Dimension? by = null;
        var byName = request.Query["by"].ToString();
        if (request.Query.ContainsKey("by"))
        {
            if (Breakdown.Names.TryGetValue(byName, out var dimension))
            {
                by = dimension;
            }
            else
            {
                errors.Add("by", $"must be one of {string.Join(", ", Breakdown.Names.Keys)}");
            }
        }

        var unsuppressed = request.Query["unsuppressed"].ToString();
        if (unsuppressed is not ("" or "true" or "false"))
        {
            errors.Add("unsuppressed", "must be true or false");
        }

        return errors.Any
            ? (null, Problems.Invalid(errors))
            : (new AnalystQuery(from!.Value, to!.Value, by, asOf, asOf == today, unsuppressed == "true"), null);
    }

    /// <summary>
    /// Today's figures come from the cohort projection; an earlier "as of" replays what was recorded by then.
    /// </summary>
    public Task<IReadOnlyList<JourneyFacts>> CohortAsync(IQuerySession session, CancellationToken cancellation) =>
        IsToday
            ? CohortReader.CurrentAsync(session, From, To, cancellation)
            : CohortReader.AsOfAsync(session, From, To, AsOf, cancellation);

    /// <summary>
    /// The total and the groups, each made by <paramref name="row"/> unless disclosure control suppresses it. Every
    /// analyst table suppresses by the number of releases, so the same groups are hidden in all of them.
    /// </summary>
    public (TRow Total, IReadOnlyList<TRow> Groups) Tabulate<TRow>(
        IReadOnlyList<JourneyFacts> cohort,
        Func<string, IReadOnlyList<JourneyFacts>, TRow> row,
        Func<string, TRow> suppressed)
    {
        var total = Disclosure.IsSmall(cohort.Count, SuppressionThreshold) ? suppressed("all") : row("all", cohort);
        if (By is not { } dimension)
        {
            return (total, []);
        }

        var groups = Breakdown.Group(cohort, dimension, From, To);
        var hidden = Disclosure.SuppressedKeys(
            groups.Select(g => (g.Key, g.Journeys.Count)).ToList(), SuppressionThreshold);
        return (total,
            groups.Select(g => hidden.Contains(g.Key) ? suppressed(g.Key) : row(g.Key, g.Journeys)).ToList());
    }

    /// <summary>
    /// The whole of an analyst GET: read the query, the cohort, tabulate it with disclosure control, and answer JSON
    /// (the report <paramref name="report"/> builds) or, for Accept: text/csv, the same table as CSV.
    /// </summary>
    public static async Task<IResult> AnswerAsync<TRow>(
        HttpRequest request, IQuerySession session, IClock clock, ContinuitySettings settings,
        Func<AnalystQuery, string, IReadOnlyList<JourneyFacts>, TRow> row, Func<string, TRow> suppressed,
        Func<AnalystQuery, TRow, IReadOnlyList<TRow>, object> report, CancellationToken cancellation)
        where TRow : ICsvRow
    {
        var caller = Caller.Of(request.HttpContext);
        var (query, problem) = Parse(request, LondonCalendar.Today(clock));
        if (query is null)
        {
            return problem!;
        }

        if (query.Unsuppressed && !caller.Permissions.Contains(Claims.UnsuppressedFigures))
        {
            return Problems.Forbidden($"Unsuppressed figures need the '{Claims.UnsuppressedFigures}' permission.");
        }

        // A threshold of 1 suppresses nothing: no group has 1 to 0 releases.
        query = query with { SuppressionThreshold = query.Unsuppressed ? 1 : settings.SuppressionThreshold };
        var cohort = await query.CohortAsync(session, cancellation);
        var (total, groups) = query.Tabulate(cohort, (key, journeys) => row(query, key, journeys), suppressed);
        return AnalystCsv.Wanted(request) ? AnalystCsv.Table(total, groups) : Results.Ok(report(query, total, groups));
    }

    /// <summary>The `by=` name as asked (validated), or null for the total alone.</summary>
    public string? ByName => By is { } by ? Breakdown.Names.First(n => n.Value == by).Key : null;

    private static LocalDate? QueryDate(HttpRequest request, string name, ValidationErrors errors, bool required)
    {
        var text = request.Query[name].ToString();
        if (string.IsNullOrEmpty(text))
        {
            if (required)
            {
                errors.Add(name, "is required, as YYYY-MM-DD");
            }

            return null;
        }

        if (!ApiJson.TryParse(LocalDatePattern.Iso, text, out var date))
        {
            errors.Add(name, "must be a date as YYYY-MM-DD");
            return null;
        }

        if (date < Fields.EarliestDate)
        {
            errors.Add(name, Fields.TooEarly);
            return null;
        }

        return date;
    }
}

/// <summary>A table row as CSV cells, in column order.</summary>
public interface ICsvRow
{
    IEnumerable<(string Column, object? Value)> Cells();
}

public static class AnalystCsv
{
    public static bool Wanted(HttpRequest request) =>
        request.Headers.Accept.Any(a => a is not null && a.Contains("text/csv", StringComparison.OrdinalIgnoreCase));

    /// <summary>One row for the total, then one per group, under a header of the row's columns.</summary>
    public static IResult Table<TRow>(TRow total, IEnumerable<TRow> groups)
        where TRow : ICsvRow
    {
        var csv = new StringBuilder();
        csv.AppendJoin(',', total.Cells().Select(c => c.Column)).Append('\n');
        foreach (var row in groups.Prepend(total))
        {
            csv.AppendJoin(',', row.Cells().Select(c => Cell(c.Value))).Append('\n');
        }

        return Results.Text(csv.ToString(), "text/csv; charset=utf-8");
    }

    public static string Cell(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        int or long => ((IFormattable)value).ToString(null, CultureInfo.InvariantCulture),
        IFormattable f => Text(f.ToString(null, CultureInfo.InvariantCulture)),
        _ => Text(value.ToString() ?? ""),
    };

    /// <summary>
    /// Text as a CSV cell that no spreadsheet runs as a formula: a leading = + - @ tab or carriage return gets a
    /// quote mark before it (OWASP's advice for CSV injection); quoted when it holds a separator, quote or newline.
    /// </summary>
    public static string Text(string text)
    {
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            text = "'" + text;
        }

        return text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + text.Replace("\"", "\"\"") + "\"" : text;
    }
}
