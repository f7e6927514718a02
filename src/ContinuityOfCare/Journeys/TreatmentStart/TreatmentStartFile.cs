using System.Globalization;
using ContinuityOfCare.Http;
using NodaTime;
using NodaTime.Text;

namespace ContinuityOfCare.Journeys.TreatmentStart;

/// <summary>
/// One row of an import as the file gave it: its cells (for the answer), and either the journey it names and the
/// date (when every cell reads) or what is wrong with it, per column, in the API's words.
/// </summary>
public sealed record TreatmentStartRow(
    int Row,
    string? JourneyIdCell,
    string? JourneyReference,
    string? PrisonCode,
    string? StartedOnCell,
    Guid? JourneyId,
    LocalDate? StartedOn,
    IReadOnlyDictionary<string, string[]>? Errors)
{
    public bool IsValid => Errors is null;

    /// <summary>The column that names the journey on this row: what a refusal about the journey names.</summary>
    public string KeyColumn =>
        JourneyIdCell is { Length: > 0 } ? TreatmentStartFile.JourneyId : TreatmentStartFile.Reference;
}

/// <summary>
/// A file of treatment starts (CSV, a header row, then one row a journey): read and checked without the database,
/// each row with the checks the single treatment-start request makes, so a row is refused in the API's words.
/// </summary>
public static class TreatmentStartFile
{
    public const string JourneyId = "journeyId";
    public const string Reference = "journeyReference";
    public const string Prison = "prisonCode";
    public const string StartedOn = "startedOn";

    public static readonly string[] Columns = [JourneyId, Reference, Prison, StartedOn];

    /// <summary>Rows a file may hold after its header: all are locked and written in one transaction.</summary>
    public const int MaxRows = 1000;

    /// <summary>A full file of long references stays well under this.</summary>
    public const int MaxBytes = 256 * 1024;

    public const string NotADate = "must be a date as YYYY-MM-DD or DD/MM/YYYY";

    private static readonly LocalDatePattern UkDate =
        LocalDatePattern.Create("d/M/uuuu", CultureInfo.InvariantCulture);

    /// <summary>
    /// The rows of <paramref name="csv"/> (UTF-8 text, byte order mark removed), each checked as of
    /// <paramref name="today"/>; or what makes the file as a whole unreadable (the "400"s), named by "body" or
    /// "row 1" (the header). Blank lines are not rows; row 1 is the header.
    /// </summary>
    public static (IReadOnlyList<TreatmentStartRow> Rows, ValidationErrors Errors) Read(string csv, LocalDate today)
    {
        var errors = new ValidationErrors();
        var rows = Csv.Rows(csv, errors);
        if (errors.Any)
        {
            return ([], errors);
        }

        if (rows.Count == 0)
        {
            return ([], errors.Add("body", $"is empty: a header row is required ({string.Join(',', Columns)})"));
        }

        var header = rows[0];
        foreach (var unknown in header.Where(c => !Columns.Contains(c, StringComparer.Ordinal)).Distinct())
        {
            errors.Add("row 1", $"'{unknown}' is not a column; the columns are {string.Join(", ", Columns)}");
        }

        foreach (var repeated in header.GroupBy(c => c).Where(g => g.Count() > 1).Select(g => g.Key))
        {
            errors.Add("row 1", $"'{repeated}' is a column twice");
        }

        if (!header.Contains(StartedOn))
        {
            errors.Add("row 1", $"the {StartedOn} column is required");
        }

        var byReference = header.Contains(Reference) && header.Contains(Prison);
        if (!header.Contains(JourneyId) && !byReference)
        {
            errors.Add("row 1", $"a {JourneyId} column, or {Reference} and {Prison} columns, are required");
        }
        else if (header.Contains(Reference) != header.Contains(Prison))
        {
            errors.Add("row 1", $"{Reference} and {Prison} go together: a reference is unique within its prison");
        }

        if (rows.Count == 1)
        {
            errors.Add("body", "has no rows after the header");
        }
        else if (rows.Count - 1 > MaxRows)
        {
            errors.Add("body", $"has {rows.Count - 1} rows; at most {MaxRows} a file");
        }

        if (errors.Any)
        {
            return ([], errors);
        }

        var read = rows.Skip(1).Select((cells, i) => Row(i + 2, header, cells, today)).ToList();
        return (read, errors);
    }

    /// <summary>One data row, checked as the single request checks its body (same fields, same words).</summary>
    public static TreatmentStartRow Row(
        int row, IReadOnlyList<string> header, IReadOnlyList<string> cells, LocalDate today)
    {
        string? Cell(string column) =>
            header.ToList().IndexOf(column) is var i and >= 0 && i < cells.Count ? cells[i] : null;

        var (id, reference, prison, started) = (Cell(JourneyId), Cell(Reference), Cell(Prison), Cell(StartedOn));
        var errors = new ValidationErrors();
        if (cells.Count != header.Count)
        {
            errors.Add("row", $"has {cells.Count} cells; the header has {header.Count}");
        }

        Guid? journeyId = null;
        var hasReference = !string.IsNullOrEmpty(reference) || !string.IsNullOrEmpty(prison);
        if (!string.IsNullOrEmpty(id))
        {
            if (hasReference)
            {
                errors.Add(JourneyId, $"give {JourneyId}, or {Reference} with {Prison}, not both");
            }
            else if (Guid.TryParseExact(id, "D", out var parsed))
            {
                journeyId = parsed;
            }
            else
            {
                errors.Add(JourneyId, "must be a journey id (a UUID such as 0192f0c1-7d3a-7c4e-9a51-2f8b6c1d0e4a)");
            }
        }
        else if (hasReference || !header.Contains(JourneyId))
        {
            errors.Reference(Reference, reference);
            errors.Code(Prison, prison);
        }
        else
        {
            var or = header.Contains(Reference) ? $" (or {Reference} with {Prison})" : "";
            errors.Add(JourneyId, "is required" + or);
        }

        var startedOn = Date(started);
        if (!string.IsNullOrEmpty(started) && startedOn is null)
        {
            errors.Add(StartedOn, NotADate);
        }
        else
        {
            // The single request's own rule, so the file and the API refuse a date in the same words.
            var request = new RecordTreatmentStartRequest(startedOn).Errors(today).ToDictionary();
            foreach (var (field, messages) in request)
            {
                Array.ForEach(messages, m => errors.Add(field, m));
            }
        }

        return new TreatmentStartRow(
            row, id, reference, prison, started, journeyId, startedOn, errors.Any ? errors.ToDictionary() : null);
    }

    /// <summary>
    /// A date as the API writes it (YYYY-MM-DD), or as UK spreadsheets do (DD/MM/YYYY, never month first).
    /// </summary>
    public static LocalDate? Date(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var iso = LocalDatePattern.Iso.Parse(text);
        if (iso.Success)
        {
            return iso.Value;
        }

        var uk = UkDate.Parse(text);
        return uk.Success ? uk.Value : null;
    }

    /// <summary>
    /// For each row (by position) that names a journey an earlier row already named, that earlier row's number:
    /// one row a journey, so two dates for one journey are never both tried against the same state.
    /// </summary>
    public static IReadOnlyDictionary<int, int> Repeats(IReadOnlyList<(int Row, Guid? JourneyId)> rows)
    {
        var first = new Dictionary<Guid, int>();
        var repeats = new Dictionary<int, int>();
        foreach (var (row, journeyId) in rows)
        {
            if (journeyId is not { } id)
            {
                continue;
            }

            if (!first.TryAdd(id, row))
            {
                repeats[row] = first[id];
            }
        }

        return repeats;
    }
}
