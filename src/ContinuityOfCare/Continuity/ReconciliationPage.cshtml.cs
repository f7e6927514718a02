using System.Globalization;
using System.Text;
using ContinuityOfCare.Access;
using ContinuityOfCare.Http;
using ContinuityOfCare.Organisations;
using ContinuityOfCare.Web;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Primitives;
using NodaTime;
using NodaTime.Text;

namespace ContinuityOfCare.Continuity;

/// <summary>
/// Lining up with the national figure: a published figure for a prison or local authority and period beside ours,
/// and the audit export of the period to download. The form is read into the API's own request and answered by
/// the API's own report functions; the page only lays them out.
/// </summary>
[Authorize(Policy = Roles.Analyst)]
public sealed class ReconciliationPageModel(
    IQuerySession session, IClock clock, ContinuityRules rules, ContinuitySettings settings, ILoggerFactory loggers)
    : PageModel
{
    /// <summary>A period as the dashboard's picker names it ("financial-year:2025-26").</summary>
    [BindProperty(SupportsGet = true)]
    public string? Period { get; set; }

    /// <summary>"prison:LEI" or "localAuthority:E08000035".</summary>
    [BindProperty(SupportsGet = true)]
    public string? Area { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Releases { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Pickups { get; set; }

    [BindProperty(SupportsGet = true, Name = "asOf")]
    public DateParts AsOfBoxes { get; set; } = new();

    public LocalDate Today { get; private set; }

    public OrganisationDirectory Organisations { get; private set; } = OrganisationDirectory.Shipped;

    public FormErrors Errors { get; } = new(new Dictionary<string, (string, string)>
    {
        ["period"] = ("period", "Period"),
        ["from"] = ("period", "Period"),
        ["to"] = ("period", "Period"),
        ["prison"] = ("area", "Prison or local authority"),
        ["localAuthority"] = ("area", "Prison or local authority"),
        ["published.releases"] = ("releases", "Published releases"),
        ["published.pickups"] = ("pickups", "Published pickups"),
        ["asOf"] = (DateField.DayBox("as-of"), "As of"),
    });

    public ReconciliationReport? Result { get; private set; }

    /// <summary>Whether this analyst may download the record-level audit export.</summary>
    public bool MayExport => Caller.Of(HttpContext).Permissions.Contains(Claims.UnsuppressedFigures);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellation)
    {
        Today = LondonCalendar.Today(clock);
        Organisations = await OrganisationsEndpoint.CurrentAsync(session, cancellation);
        if (Request.Query.Count == 0)
        {
            return Page(); // the empty form, before anything is asked
        }

        var request = new ReconciliationRequest(
            new PublishedCounts(Count("published.releases", Releases), Count("published.pickups", Pickups)),
            Period: Period, AsOf: AsOf(), Prison: Chosen("prison"), LocalAuthority: Chosen("localAuthority"));
        var (query, area, published, errors) = request.Read(Today);
        if (query is null || _errors.Any)
        {
            // The form's own message for a box it could not read, and the API's for every other field.
            var read = _errors.ToDictionary();
            var others = new ValidationErrors();
            foreach (var (field, messages) in errors.ToDictionary().Where(e => !read.ContainsKey(e.Key)))
            {
                Array.ForEach(messages, m => others.Add(field, m));
            }

            Errors.Add(_errors).Add(others);
            return Page();
        }

        query = query.SuppressedBy(settings) with { Organisations = Organisations };
        Result = ReconciliationEndpoint.Report(
            query, await query.CohortAsync(session, cancellation), area!.Value.Kind, area.Value.Code, published!,
            rules);
        return Page();
    }

    /// <summary>The audit export of the chosen period and area as the API writes it, with a BOM.</summary>
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellation)
    {
        if (!MayExport)
        {
            return Forbid();
        }

        Today = LondonCalendar.Today(clock);
        var asked = new Dictionary<string, StringValues> { ["period"] = Period ?? "" };
        if (AsOf() is { } asOf)
        {
            asked["asOf"] = asOf.Iso();
        }

        var (query, errors) = AnalystQuery.Read(new QueryCollection(asked), Today);
        if (query is null || _errors.Any)
        {
            _errors = new ValidationErrors();
            return await OnGetAsync(cancellation); // the form, with what is wrong
        }

        var filter = new AuditFilter(Chosen("prison"), Chosen("localAuthority"));
        var report = AuditExportEndpoint.Report(
            query with { Organisations = await OrganisationsEndpoint.CurrentAsync(session, cancellation) },
            await query.CohortAsync(session, cancellation), filter, rules);
        AuditExportEndpoint.Audit(loggers, Caller.Of(HttpContext), report);
        var bytes = Encoding.UTF8.GetPreamble()
            .Concat(Encoding.UTF8.GetBytes(AuditExportEndpoint.Csv(report))).ToArray();
        return File(bytes, "text/csv; charset=utf-8", AuditExportEndpoint.FileName(report));
    }

    /// <summary>The prisons and local authorities of the directory, as the area picker offers them.</summary>
    public IEnumerable<(string Group, IReadOnlyList<(string Value, string Label)> Options)> AreaChoices()
    {
        foreach (var (kind, group, name) in new[]
                 {
                     (OrganisationKind.Prison, "Prisons", "prison"),
                     (OrganisationKind.LocalAuthority, "Local authorities", "localAuthority"),
                 })
        {
            yield return (group, Organisations.Organisations
                .Where(o => o.Kind == kind)
                .OrderBy(o => o.Name, StringComparer.Ordinal)
                .Select(o => ($"{name}:{o.Code}", $"{o.Name} ({o.Code})"))
                .ToList());
        }
    }

    /// <summary>The address of the audit export for what was asked.</summary>
    public string CsvUrl =>
        $"/continuity/reconciliation?handler=csv&period={Uri.EscapeDataString(Period ?? "")}" +
        $"&area={Uri.EscapeDataString(Area ?? "")}" +
        (Result?.AsOf is { } asOf ? $"&asOf.Day={asOf.Day}&asOf.Month={asOf.Month}&asOf.Year={asOf.Year}" : "");

    private ValidationErrors _errors = new();

    private string? Chosen(string kind) =>
        Area?.Split(':', 2) is [var k, var code] && k == kind ? code : null;

    private int? Count(string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null; // the API's "is required"
        }

        if (int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            return count;
        }

        _errors.Add(field, "must be a whole number, such as 120");
        return null;
    }

    private LocalDate? AsOf()
    {
        if (AsOfBoxes.Iso is not { } text)
        {
            return null;
        }

        if (ApiJson.TryParse(LocalDatePattern.Iso, text, out var date))
        {
            return date;
        }

        _errors.Add("asOf", Fields.NotADate);
        return null;
    }
}
