using System.Globalization;
using System.Text;
using ContinuityOfCare.Access;
using ContinuityOfCare.Http;
using ContinuityOfCare.Journeys;
using ContinuityOfCare.Organisations;
using Marten;
using NodaTime;
using NodaTime.Text;

namespace ContinuityOfCare.Continuity;

/// <summary>
/// What every analyst table is asked: releases in [From, To], optionally broken down by one dimension (or two, with
/// <see cref="Across"/>), as known at the end of <see cref="AsOf"/> (today unless given).
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

    public static (AnalystQuery? Query, IResult? Problem) Parse(HttpRequest request, LocalDate today) =>
        Read(request.Query, today) is var (query, errors) && query is not null
            ? (query, null)
            : (null, Problems.Invalid(errors));

    /// <summary>
    /// The query's fields (from and to, or period; by, asOf, unsuppressed), or what is wrong with them, field by
    /// field.
    /// </summary>
    public static (AnalystQuery? Query, ValidationErrors Errors) Read(IQueryCollection request, LocalDate today)
    {
        var errors = new ValidationErrors();
        var (from, to) = request.ContainsKey("period")
            ? NamedPeriod(request, errors)
            : (QueryDate(request, "from", errors, required: true), QueryDate(request, "to", errors, required: true));
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
            errors.Add(
                request.ContainsKey("period") ? "period" : "to",
                $"is more than {Fields.PlannedYearsAhead} years after today ({today.Iso()})");
        }

        if (asOf > today)
        {
            errors.Add(
                "asOf",
                $"is after today ({today.Iso()} in Europe/London): figures cannot be known before they happen");
        }

        var (by, across) = request.ContainsKey("by") ? ReadBy(request["by"].ToString(), errors) : (null, null);

        if (by == Dimension.ReleaseDay && from is { } start && to is { } end
            && ReleaseDays.Uncovered(start, end) is { } uncovered)
        {
            errors.Add("by", uncovered);
        }

        var unsuppressed = request["unsuppressed"].ToString();
        if (unsuppressed is not ("" or "true" or "false"))
        {
            errors.Add("unsuppressed", "must be true or false");
        }

        return errors.Any
            ? (null, errors)
            : (new AnalystQuery(from!.Value, to!.Value, by, asOf, asOf == today, unsuppressed == "true")
                { Across = across }, errors);
    }

    /// <summary>
    /// The second dimension of a two-way table (`by=prison,month`): its groups are the table's columns.
    /// </summary>
    public Dimension? Across { get; init; }

    /// <summary>The names and regions the tables show beside codes: the directory in use when asked.</summary>
    public OrganisationDirectory Organisations { get; init; } = OrganisationDirectory.Shipped;

    /// <summary>A group's row, with the organisation's name beside its key when the dimension is one.</summary>
    public TRow Named<TRow>(TRow row, Dimension dimension, string key)
        where TRow : IAnalystRow<TRow> =>
        Breakdown.Name(dimension, key, Organisations) is { } name ? row.Named(name) : row;

    /// <summary>`by=` as one dimension, or two separated by a comma (rows, then columns).</summary>
    private static (Dimension? By, Dimension? Across) ReadBy(string text, ValidationErrors errors)
    {
        var names = text.Split(',');
        var dimensions = names.Select(n => Breakdown.Names.TryGetValue(n, out var d) ? d : (Dimension?)null).ToList();
        if (names.Length > 2 || dimensions.Any(d => d is null) || (names.Length == 2 && names[0] == names[1]))
        {
            errors.Add(
                "by",
                $"must be one of {string.Join(", ", Breakdown.Names.Keys)}, or two different ones separated by a " +
                "comma (by=prison,month)");
            return (null, null);
        }

        return (dimensions[0], dimensions.Count == 2 ? dimensions[1] : null);
    }

    /// <summary>`period=` instead of from and to: the first and last dates of the period it names.</summary>
    private static (LocalDate? From, LocalDate? To) NamedPeriod(IQueryCollection request, ValidationErrors errors)
    {
        if (request.ContainsKey("from") || request.ContainsKey("to"))
        {
            errors.Add("period", "give either period or from and to, not both");
            return (null, null);
        }

        if (!Periods.TryParseName(request["period"].ToString(), out var kind, out var start, out var error))
        {
            errors.Add("period", error!);
            return (null, null);
        }

        if (start < Fields.EarliestDate)
        {
            errors.Add("period", Fields.TooEarly);
            return (null, null);
        }

        return (start, Periods.End(kind, start));
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
        where TRow : IAnalystRow<TRow>
    {
        if (By is { } rows && Across is { } columns)
        {
            // The row totals of the two-way table, under its disclosure control.
            var table = TwoWayTable.Of(this, cohort, rows, columns, row, suppressed);
            return (table.Total, table.Groups);
        }

        var groups = By is { } dimension
            ? Breakdown.Group(cohort, dimension, From, To, Organisations)
                .Select(g => (g.Key, g.Journeys, g.Journeys.Count)).ToList()
            : [];
        return Tabulate((cohort, cohort.Count), groups, row, suppressed);
    }

    /// <summary>
    /// The same over groups already counted (cohort cells, or journeys), given in the order shown with the releases
    /// each holds: one disclosure control whatever the groups were counted from.
    /// </summary>
    public (TRow Total, IReadOnlyList<TRow> Groups) Tabulate<TRow, TGroup>(
        (TGroup Value, int Released) total,
        IReadOnlyList<(string Key, TGroup Value, int Released)> groups,
        Func<string, TGroup, TRow> row,
        Func<string, TRow> suppressed)
        where TRow : IAnalystRow<TRow>
    {
        var totalRow = Disclosure.IsSmall(total.Released, SuppressionThreshold)
            ? suppressed("all")
            : row("all", total.Value);
        if (By is not { } dimension)
        {
            return (totalRow, []);
        }

        var hidden = Disclosure.SuppressedKeys(groups.Select(g => (g.Key, g.Released)).ToList(), SuppressionThreshold);
        return (totalRow, groups
            .Select(g => Named(hidden.Contains(g.Key) ? suppressed(g.Key) : row(g.Key, g.Value), dimension, g.Key))
            .ToList());
    }

    /// <summary>
    /// <see cref="Tabulate{TRow}"/>, with the column totals and cells when the query is two-way.
    /// </summary>
    public AnalystTable<TRow> Table<TRow>(
        IReadOnlyList<JourneyFacts> cohort,
        Func<string, IReadOnlyList<JourneyFacts>, TRow> row,
        Func<string, TRow> suppressed)
        where TRow : IAnalystRow<TRow>
    {
        if (By is { } rows && Across is { } columns)
        {
            return TwoWayTable.Of(this, cohort, rows, columns, row, suppressed);
        }

        var (total, groups) = Tabulate(cohort, row, suppressed);
        return new AnalystTable<TRow>(total, groups, null, null);
    }

    /// <summary>
    /// The whole of an analyst GET: read the query, check it may be asked, read the cohort, and answer the report
    /// <paramref name="report"/> makes of it as JSON or, for Accept: text/csv, its table as CSV. A report that the
    /// cohort cells can answer (<paramref name="fromCells"/>, null when they cannot) reads no journey.
    /// </summary>
    public static async Task<IResult> AnswerAsync<TRow>(
        HttpRequest request, IQuerySession session, IClock clock, ContinuitySettings settings,
        Func<AnalystQuery, IReadOnlyList<JourneyFacts>, IAnalystReport<TRow>> report, CancellationToken cancellation,
        Func<AnalystQuery, Task<IAnalystReport<TRow>?>>? fromCells = null)
        where TRow : ICsvRow
    {
        var (query, problem) = Parse(request, LondonCalendar.Today(clock));
        if (query is null)
        {
            return problem!;
        }

        if (query.RefusalFor(Caller.Of(request.HttpContext)) is { } refusal)
        {
            return Problems.Forbidden(refusal);
        }

        query = query.SuppressedBy(settings) with
        {
            Organisations = await OrganisationsEndpoint.CurrentAsync(session, cancellation),
        };
        var answer = (fromCells is null ? null : await fromCells(query))
            ?? report(query, await query.CohortAsync(session, cancellation));
        if (!AnalystCsv.Wanted(request))
        {
            return Results.Ok<object>(answer);
        }

        return answer is ITwoWayReport<TRow> { Columns: { } columns, Cells: { } cells }
            ? Results.Text(
                TwoWayTable.AppendCsv(new StringBuilder(), answer.Total, answer.Groups, columns, cells).ToString(),
                "text/csv; charset=utf-8")
            : AnalystCsv.Table(answer.Total, answer.Groups);
    }

    /// <summary>Why <paramref name="caller"/> may not ask this query, or null when they may.</summary>
    public string? RefusalFor(Caller caller) =>
        Unsuppressed && !caller.Permissions.Contains(Claims.UnsuppressedFigures)
            ? $"Unsuppressed figures need the '{Claims.UnsuppressedFigures}' permission."
            : null;

    /// <summary>
    /// The query with the threshold its figures are suppressed by (1, which suppresses nothing, if unsuppressed).
    /// </summary>
    public AnalystQuery SuppressedBy(ContinuitySettings settings) =>
        this with { SuppressionThreshold = Unsuppressed ? 1 : settings.SuppressionThreshold };

    /// <summary>The `by=` name as asked (validated), or null for the total alone.</summary>
    public string? ByName => By is { } by
        ? Breakdown.NameOf(by) + (Across is { } across ? "," + Breakdown.NameOf(across) : "")
        : null;


    private static LocalDate? QueryDate(IQueryCollection request, string name, ValidationErrors errors, bool required)
    {
        var text = request[name].ToString();
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
            errors.Add(name, Fields.NotADate);
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

/// <summary>An analyst report: its total and its groups, the rows of its CSV table.</summary>
public interface IAnalystReport<out TRow>
    where TRow : ICsvRow
{
    TRow Total { get; }

    IReadOnlyList<TRow> Groups { get; }
}

/// <summary>A table row as CSV cells, in column order.</summary>
public interface ICsvRow
{
    IEnumerable<(string Column, object? Value)> Cells();
}

/// <summary>
/// A row of an analyst table. When its key is the code of a prison, local authority or provider, it carries the
/// organisation's name beside it (<see cref="Breakdown.Name"/>); otherwise <see cref="Name"/> is null.
/// </summary>
public interface IAnalystRow<out TRow> : ICsvRow
{
    string? Name { get; }

    TRow Named(string name);
}

public static class AnalystCsv
{
    public static bool Wanted(HttpRequest request) =>
        request.Headers.Accept.Any(a => a is not null && a.Contains("text/csv", StringComparison.OrdinalIgnoreCase));

    /// <summary>One row for the total, then one per group, under a header of the row's columns.</summary>
    public static IResult Table<TRow>(TRow total, IEnumerable<TRow> groups)
        where TRow : ICsvRow =>
        Results.Text(Append(new StringBuilder(), total, groups).ToString(), "text/csv; charset=utf-8");

    /// <summary>Writes the table: a header of the row's columns, the total, then the groups.</summary>
    public static StringBuilder Append<TRow>(StringBuilder csv, TRow total, IEnumerable<TRow> groups)
        where TRow : ICsvRow
    {
        csv.AppendJoin(',', total.Cells().Select(c => c.Column)).Append('\n');
        foreach (var row in groups.Prepend(total))
        {
            csv.AppendJoin(',', row.Cells().Select(c => Cell(c.Value))).Append('\n');
        }

        return csv;
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
