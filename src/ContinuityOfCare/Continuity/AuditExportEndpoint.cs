using System.Text;
using ContinuityOfCare.Access;
using ContinuityOfCare.Http;
using ContinuityOfCare.Organisations;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine.Http;

namespace ContinuityOfCare.Continuity;

/// <summary>The journeys of the indicator's cohort for a period, one row each, with what was asked.</summary>
public sealed record AuditExportReport(
    LocalDate From,
    LocalDate To,
    LocalDate AsOf,
    bool Final,
    int WindowDays,
    string? Prison,
    string? LocalAuthority,
    string? Provider,
    int Count,
    IReadOnlyList<AuditRow> Journeys);

public static class AuditExportEndpoint
{
    /// <summary>
    /// Rows can be counted, so they reveal every small group the tables suppress: the export needs the same
    /// permission as unsuppressed figures (docs/national-figure.md).
    /// </summary>
    public const string NeedsPermission =
        $"The audit export is record-level, so it needs the '{Claims.UnsuppressedFigures}' permission.";

    [WolverineGet(
        "/api/v1/continuity/audit-export",
        Summary = "The journeys released in a period, one row each, for auditing against the national figure")]
    [QueryParameters("from", "to", "period", "asOf", "prison", "localAuthority", "provider", "format")]
    [ProducesResponseType<AuditExportReport>(200)]
    [Authorize(Policy = Roles.Analyst)]
    public static async Task<IResult> Get(
        HttpRequest request, IQuerySession session, IClock clock, ContinuityRules rules, ILoggerFactory loggers,
        CancellationToken cancellation)
    {
        var (query, errors) = AnalystQuery.Read(request.Query, LondonCalendar.Today(clock));
        var filter = new AuditFilter(
            Code(request, "prison", errors), Code(request, "localAuthority", errors),
            Code(request, "provider", errors));
        var format = request.Query["format"].ToString();
        if (format is not ("" or "csv" or "json"))
        {
            errors.Add("format", "must be csv or json (or leave it out and ask with Accept: text/csv)");
        }

        if (query is null || errors.Any)
        {
            return Problems.Invalid(errors);
        }

        var caller = Caller.Of(request.HttpContext);
        if (!caller.Permissions.Contains(Claims.UnsuppressedFigures))
        {
            return Problems.Forbidden(NeedsPermission);
        }

        var report = Report(
            query with { Organisations = await OrganisationsEndpoint.CurrentAsync(session, cancellation) },
            await query.CohortAsync(session, cancellation), filter, rules);
        Audit(loggers, caller, report);

        if (format == "csv" || (format == "" && AnalystCsv.Wanted(request)))
        {
            return Results.File(
                Encoding.UTF8.GetBytes(Csv(report)), "text/csv; charset=utf-8", FileName(report));
        }

        return Results.Ok(report);
    }

    /// <summary>
    /// Reads are not events, so a record-level export is audited in the log: who took which rows (the API and the
    /// reconciliation page's download alike).
    /// </summary>
    public static void Audit(ILoggerFactory loggers, Caller caller, AuditExportReport report) =>
        loggers.CreateLogger("ContinuityOfCare.Continuity.AuditExport").LogInformation(
            "Audit export by {User} for {Organisations}: releases {From} to {To} as of {AsOf}, prison {Prison}, " +
            "local authority {LocalAuthority}, provider {Provider}: {Count} rows",
            caller.User, caller.OrganisationList, report.From.Iso(), report.To.Iso(), report.AsOf.Iso(),
            report.Prison, report.LocalAuthority, report.Provider, report.Count);

    public static AuditExportReport Report(
        AnalystQuery query, IReadOnlyList<Journeys.JourneyFacts> cohort, AuditFilter filter, ContinuityRules rules)
    {
        var rows = AuditExport.Rows(cohort, filter, query.AsOf, rules, query.Organisations);
        return new AuditExportReport(
            query.From, query.To, query.AsOf, ContinuityRateEndpoint.IsFinal(query.To, query.AsOf, rules),
            rules.Window.Days, filter.Prison, filter.LocalAuthority, filter.Provider, rows.Count, rows);
    }

    /// <summary>A header of the row's columns, then one line per journey: no total line, unlike the tables.</summary>
    public static string Csv(AuditExportReport report)
    {
        var csv = new StringBuilder();
        csv.AppendJoin(',', AuditRow.Columns).Append('\n');
        foreach (var row in report.Journeys)
        {
            csv.AppendJoin(',', row.Cells().Select(c => AnalystCsv.Cell(c.Item2))).Append('\n');
        }

        return csv.ToString();
    }

    public static string FileName(AuditExportReport report) =>
        $"continuity-audit-{report.From.Iso()}-to-{report.To.Iso()}-as-of-{report.AsOf.Iso()}.csv";

    private static string? Code(HttpRequest request, string name, ValidationErrors errors)
    {
        if (!request.Query.ContainsKey(name))
        {
            return null;
        }

        var value = request.Query[name].ToString();
        errors.Code(name, value);
        return value;
    }
}
