using ContinuityOfCare.Access;
using ContinuityOfCare.Http;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine;
using Wolverine.Http;

namespace ContinuityOfCare.Organisations;

/// <summary>The directory an operator put in place of the shipped one: one document, replaced whole.</summary>
public sealed class StoredOrganisations
{
    public const string CurrentId = "current";

    public string Id { get; set; } = CurrentId;

    public List<Organisation> Organisations { get; set; } = [];

    public Instant UpdatedAt { get; set; }

    public string UpdatedBy { get; set; } = "";
}

/// <summary>The directory as the API shows it: where it came from, and every organisation.</summary>
public sealed record OrganisationList(string Source, Instant? UpdatedAt, IReadOnlyList<Organisation> Organisations);

public static class OrganisationsEndpoint
{
    /// <summary>The largest directory CSV accepted: the full national lists take well under a megabyte.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>The directory in use: the operator's last upload, or the shipped one.</summary>
    public static async Task<OrganisationDirectory> CurrentAsync(IQuerySession session, CancellationToken cancellation)
    {
        var stored = await session.LoadAsync<StoredOrganisations>(StoredOrganisations.CurrentId, cancellation);
        return stored is null ? OrganisationDirectory.Shipped : new OrganisationDirectory(stored.Organisations);
    }

    /// <summary>The directory in use as listed, and who uploaded it (null for the shipped one).</summary>
    public static async Task<(OrganisationList List, string? UpdatedBy)> ListAsync(
        IQuerySession session, CancellationToken cancellation)
    {
        var stored = await session.LoadAsync<StoredOrganisations>(StoredOrganisations.CurrentId, cancellation);
        return stored is null
            ? (new OrganisationList("shipped", null, OrganisationDirectory.Shipped.Organisations), null)
            : (new OrganisationList("uploaded", stored.UpdatedAt, stored.Organisations), stored.UpdatedBy);
    }

    /// <summary>Names are not confidential: every signed-in caller may read the directory.</summary>
    [WolverineGet("/api/v1/organisations", Summary = "The organisation directory: codes, names and regions")]
    [ProducesResponseType<OrganisationList>(200)]
    public static async Task<IResult> Get(HttpRequest request, IQuerySession session, CancellationToken cancellation)
    {
        var (list, _) = await ListAsync(session, cancellation);
        return Csv.IsAskedFor(request)
            ? Results.Text(
                OrganisationCsv.Write(new OrganisationDirectory(list.Organisations)), "text/csv; charset=utf-8")
            : Results.Ok(list);
    }

    /// <summary>
    /// Replaces the whole directory with the CSV in the body (the columns of Organisations/organisations.csv). Every
    /// row is checked first: one bad row refuses the upload (400 naming row and column) and the old directory stays.
    /// </summary>
    [WolverinePut("/api/v1/organisations", Summary = "Replace the organisation directory with a CSV (operators)")]
    [CsvBody(
        "The whole directory: a header code,kind,name,region,category,holdsWomen, then one organisation a line " +
        "(kind prison, local-authority or provider; category A, B, C, D, YOI, closed or open, and holdsWomen yes " +
        "or no, for prisons only).", "1 MiB")]
    [ProducesResponseType<OrganisationList>(200)]
    [Authorize(Policy = Roles.Operator)]
    public static async Task<IResult> Put(HttpRequest request, IMessageBus bus, CancellationToken cancellation)
    {
        var (csv, problem) = await Csv.ReadBodyAsync(request, MaxBytes, cancellation);
        if (csv is null)
        {
            return problem!;
        }

        var replacement = await bus.InvokeAsync<DirectoryReplacement>(
            new ReplaceOrganisationDirectory(csv, Caller.Of(request.HttpContext).User), cancellation);
        return replacement.Replaced is { } list ? Results.Ok(list) : Problems.Invalid(replacement.Errors);
    }
}
