using System.Text;
using ContinuityOfCare.Access;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Http;
using ContinuityOfCare.Journeys.Registration;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine;
using Wolverine.Http;

namespace ContinuityOfCare.Journeys.TreatmentStart;

/// <summary>What became of a row: written now, already so (nothing written), or refused.</summary>
public enum ImportOutcome
{
    Recorded,
    AlreadyRecorded,
    Refused,
}

/// <summary>Why a row was refused, as the single request would have been answered: 400, 404, 403 or 409.</summary>
public enum ImportRefusal
{
    Invalid,
    UnknownJourney,
    Forbidden,
    Conflict,
}

/// <summary>
/// One row's answer: its cells as given, the journey it wrote to (when it did or already had), and, when refused,
/// why, with <see cref="Errors"/> naming the column as the API's problems name the field.
/// </summary>
public sealed record ImportedRow(
    int Row,
    string? JourneyId,
    string? JourneyReference,
    string? PrisonCode,
    string? StartedOn,
    ImportOutcome Outcome,
    ImportRefusal? Refusal = null,
    IReadOnlyDictionary<string, string[]>? Errors = null);

public sealed record ImportTotals(int Rows, int Recorded, int AlreadyRecorded, int Refused);

/// <summary>
/// The answer to a file: every row's outcome, in the file's order. A dry run answers what would happen and writes
/// nothing.
/// </summary>
public sealed record TreatmentStartsImported(
    string Provider, bool DryRun, ImportTotals Totals, IReadOnlyList<ImportedRow> Rows)
{
    public static TreatmentStartsImported Of(string provider, bool dryRun, IReadOnlyList<ImportedRow> rows) =>
        new(provider, dryRun, new ImportTotals(
                rows.Count, rows.Count(r => r.Outcome == ImportOutcome.Recorded),
                rows.Count(r => r.Outcome == ImportOutcome.AlreadyRecorded),
                rows.Count(r => r.Outcome == ImportOutcome.Refused)),
            rows);

    public static readonly string[] CsvColumns =
    [
        "row", "journeyId", "journeyReference", "prisonCode", "startedOn", "outcome", "refusal", "field", "reason",
    ];

    /// <summary>The rows as CSV, one line a refusal's field (a refused row may have several).</summary>
    public string ToCsv()
    {
        var csv = new StringBuilder(string.Join(',', CsvColumns)).Append('\n');
        foreach (var row in Rows)
        {
            var problems = row.Errors?.SelectMany(e => e.Value.Select(m => (e.Key, m))).ToList() ?? [];
            foreach (var (field, reason) in problems.Count > 0 ? problems : [("", "")])
            {
                string?[] cells =
                [
                    row.Row.ToString(System.Globalization.CultureInfo.InvariantCulture), row.JourneyId,
                    row.JourneyReference, row.PrisonCode, row.StartedOn, ApiJson.Code(row.Outcome),
                    row.Refusal is { } refusal ? ApiJson.Code(refusal) : "", field, reason,
                ];
                csv.AppendJoin(',', cells.Select(c => Csv.Quoted(Inert(c ?? "")))).Append('\n');
            }
        }

        return csv.ToString();
    }

    /// <summary>Cells echoed from a file must not run as formulas when the answer opens in a spreadsheet.</summary>
    private static string Inert(string cell) => cell is ['=' or '+' or '-' or '@', ..] ? "'" + cell : cell;
}

/// <summary>
/// A provider records a file of treatment starts: each row as the single request would be, for one of the
/// provider's organisations (so every event is stamped with it), all rows' events in one transaction.
/// </summary>
public sealed record ImportTreatmentStarts(string Provider, IReadOnlyList<TreatmentStartRow> Rows, bool DryRun);

/// <summary>
/// Takes every row the way <see cref="RecordTreatmentStartHandler"/> takes one (<see cref="JourneyStep"/>: access,
/// audit, the pure <see cref="RecordTreatmentStartEndpoint.Decide"/>), but in one Marten session: each journey's
/// stream is locked (in id order, so two files on the same journeys queue rather than deadlock), and the events
/// of every accepted row commit together or not at all. Written by hand because the aggregate handler workflow
/// locks one stream a message. Wolverine's one retry policy reruns the whole file after a lost race.
/// </summary>
public static class ImportTreatmentStartsHandler
{
    public static async Task<(TreatmentStartsImported, OutgoingMessages)> Handle(
        ImportTreatmentStarts command,
        Envelope envelope,
        IDocumentSession session,
        IClock clock,
        ContinuityRules rules,
        CancellationToken cancellation)
    {
        // The caller acts for the one organisation the file is for: the access check and the audit stamp say so.
        var caller = StepRequest.From(envelope).Caller;
        var acting = caller with
        {
            Organisations = caller.Organisations.Where(o => o == command.Provider).ToHashSet(StringComparer.Ordinal),
        };
        var step = new JourneyStep(new StepRequest(acting, "", ""), session, clock, rules);

        var journeyIds = await ResolveAsync(command.Rows, session, cancellation);
        var streams = new Dictionary<Guid, JasperFx.Events.IEventStream<Journey>>();
        foreach (var id in journeyIds.Values.OfType<Guid>().Distinct().Order())
        {
            streams[id] = await session.Events.FetchForExclusiveWriting<Journey>(id, cancellation);
        }

        // A reference is guessable: one not handed to this provider is answered as one that does not exist, and
        // is no row's journey (so no later row is told it repeats it).
        bool Hidden(TreatmentStartRow row) => row.JourneyId is null &&
            (journeyIds[row.Row] is not { } id || streams[id].Aggregate is not { } journey ||
             !acting.MayAct(Side.Provider, journey.Facts));
        var repeats = TreatmentStartFile.Repeats(
            command.Rows.Select(r => (r.Row, Hidden(r) ? null : journeyIds[r.Row])).ToList());
        var (answers, messages) = (new List<ImportedRow>(), new OutgoingMessages());
        foreach (var row in command.Rows)
        {
            var answer = Given(row, journeyIds[row.Row]);
            if (!row.IsValid)
            {
                answers.Add(answer with { Outcome = ImportOutcome.Refused, Refusal = ImportRefusal.Invalid });
                continue;
            }

            if (Hidden(row))
            {
                answers.Add(Refused(answer with { JourneyId = null }, ImportRefusal.UnknownJourney, row.KeyColumn,
                    $"no journey {row.JourneyReference} at {row.PrisonCode} is handed over to {command.Provider}"));
                continue;
            }

            if (repeats.TryGetValue(row.Row, out var first))
            {
                answers.Add(Refused(answer, ImportRefusal.Conflict, row.KeyColumn,
                    $"names the same journey as row {first}: one row a journey"));
                continue;
            }

            var stream = streams[journeyIds[row.Row]!.Value];
            var started = new CommunityTreatmentStarted(row.StartedOn!.Value);
            var (stepAnswer, events, scheduled) = await step.TakeAsync(
                new RecordTreatmentStart(stream.Id, started), stream.Aggregate, Side.Provider,
                facts => RecordTreatmentStartEndpoint.Decide(facts, started), cancellation);
            if (!command.DryRun && events.Count > 0)
            {
                stream.AppendMany(events);
                messages.AddRange(scheduled);
            }

            answers.Add(stepAnswer switch
            {
                StepRefused refused => Refused(answer, refused),
                _ when events.Count == 0 => answer with { Outcome = ImportOutcome.AlreadyRecorded },
                _ => answer with { Outcome = ImportOutcome.Recorded },
            });
        }

        return (TreatmentStartsImported.Of(command.Provider, command.DryRun, answers), messages);
    }

    /// <summary>Each row's journey: its id as given, or the one its reference opened at its prison (if any).</summary>
    private static async Task<Dictionary<int, Guid?>> ResolveAsync(
        IReadOnlyList<TreatmentStartRow> rows, IDocumentSession session, CancellationToken cancellation)
    {
        var referenceIds = rows.Where(r => r is { IsValid: true, JourneyId: null })
            .Select(r => $"{r.PrisonCode}/{r.JourneyReference}").Distinct().ToArray();
        var references = referenceIds.Length == 0
            ? new Dictionary<string, Guid>()
            : (await session.LoadManyAsync<JourneyReference>(cancellation, referenceIds))
            .ToDictionary(r => r.Id, r => r.JourneyId);
        return rows.ToDictionary(r => r.Row, r => r switch
        {
            { IsValid: false } => null,
            { JourneyId: { } id } => id,
            _ => references.TryGetValue($"{r.PrisonCode}/{r.JourneyReference}", out var id) ? id : (Guid?)null,
        });
    }

    private static ImportedRow Given(TreatmentStartRow row, Guid? journeyId) => new(
        row.Row, journeyId?.ToString() ?? row.JourneyIdCell, row.JourneyReference, row.PrisonCode, row.StartedOnCell,
        ImportOutcome.Refused, Errors: row.Errors);

    private static ImportedRow Refused(ImportedRow row, StepRefused refused) => refused.Refusal switch
    {
        StepRefusal.UnknownJourney => Refused(row, ImportRefusal.UnknownJourney, TreatmentStartFile.JourneyId,
            refused.Detail),
        StepRefusal.Forbidden => Refused(row, ImportRefusal.Forbidden, TreatmentStartFile.JourneyId, refused.Detail),
        _ => Refused(row, ImportRefusal.Conflict, refused.Field, refused.Detail),
    };

    private static ImportedRow Refused(ImportedRow row, ImportRefusal refusal, string field, string reason) =>
        row with
        {
            Outcome = ImportOutcome.Refused,
            Refusal = refusal,
            Errors = new Dictionary<string, string[]> { [field] = [reason] },
        };
}

public static class ImportTreatmentStartsEndpoint
{
    public const string DryRun = "dryRun";

    /// <summary>
    /// A file of treatment starts for one provider: every row answered (recorded, already recorded, or refused and
    /// why); the recorded rows' events commit together or not at all; a refused row does not hold back the others
    /// (a dry run shows them all first); a second upload of the same file records nothing.
    /// </summary>
    [WolverinePost(
        "/api/v1/providers/{provider}/treatment-starts/import",
        Summary = "Record a CSV file of community treatment starts (the pickups), each row as the single request")]
    [CsvBody(
        "A header row, then one treatment start a row: journeyId, or journeyReference with prisonCode (the " +
        "reference the prison opened the journey with), and startedOn (YYYY-MM-DD, or DD/MM/YYYY). Columns in any " +
        "order; blank lines are skipped; row 1 is the header. At most 1000 rows.", "256 KiB",
        Invalid = "The file cannot be read (not CSV, no header, an unknown column, too many rows): `errors` names " +
            "\"body\" or \"row 1\". A row that is wrong is answered in the 200, refused, not here.")]
    [QueryParameters(DryRun)]
    [ProducesResponseType<TreatmentStartsImported>(200)]
    [Authorize(Policy = Roles.Provider)]
    public static async Task<IResult> Post(
        string provider, HttpRequest request, IMessageBus bus, IClock clock, CancellationToken cancellation)
    {
        var errors = new ValidationErrors().Also(e => e.Code("provider", provider));
        var dryRun = request.Query[DryRun].ToString();
        if (dryRun is not ("" or "true" or "false"))
        {
            errors.Add(DryRun, "must be true or false");
        }

        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }

        if (!Caller.Of(request.HttpContext).IsProviderOf(provider))
        {
            return Problems.Forbidden($"Only {provider}'s staff record its treatment starts.");
        }

        var (csv, problem) = await Csv.ReadBodyAsync(request, TreatmentStartFile.MaxBytes, cancellation);
        if (problem is not null)
        {
            return problem;
        }

        var imported = await SendAsync(
            provider, csv!, dryRun == "true", request.HttpContext, bus, LondonCalendar.Today(clock), cancellation);
        return imported switch
        {
            (_, { } invalid) => Problems.Invalid(invalid),
            (var answer, _) when Csv.IsAskedFor(request) => Results.Text(answer!.ToCsv(), Csv.MediaType),
            (var answer, _) => Results.Ok(answer),
        };
    }

    /// <summary>Reads the file and sends it as the caller: the API's path and the screen's.</summary>
    public static async Task<(TreatmentStartsImported? Answer, ValidationErrors? Invalid)> SendAsync(
        string provider, string csv, bool dryRun, HttpContext http, IMessageBus bus, LocalDate today,
        CancellationToken cancellation)
    {
        var (rows, errors) = TreatmentStartFile.Read(csv, today);
        if (errors.Any)
        {
            return (null, errors);
        }

        var asked = new StepRequest(Caller.Of(http), "", "");
        return (await bus.InvokeAsync<TreatmentStartsImported>(
            new ImportTreatmentStarts(provider, rows, dryRun), asked.Delivery(Correlation.Of(http)), cancellation),
            null);
    }
}
