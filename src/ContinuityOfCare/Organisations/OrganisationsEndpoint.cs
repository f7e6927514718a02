using System.Text;
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

    private static readonly UTF8Encoding Utf8 = new(false, throwOnInvalidBytes: true);

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
        return request.Headers.Accept.Any(a => a?.Contains("text/csv", StringComparison.OrdinalIgnoreCase) == true)
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
        if (request.ContentType is not { } type || !type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.UnsupportedMediaType(request.ContentType, "text/csv");
        }

        if (request.ContentLength > MaxBytes)
        {
            return Problems.TooLarge(MaxBytes);
        }

        var (csv, tooLarge) = await ReadCsvAsync(request.Body, cancellation);
        if (csv is null)
        {
            return tooLarge ? Problems.TooLarge(MaxBytes) : Problems.Invalid("body", NotUtf8);
        }

        var replacement = await bus.InvokeAsync<DirectoryReplacement>(
            new ReplaceOrganisationDirectory(csv, Caller.Of(request.HttpContext).User), cancellation);
        return replacement.Replaced is { } list ? Results.Ok(list) : Problems.Invalid(replacement.Errors);
    }

    /// <summary>
    /// A directory CSV as UTF-8 text; null when it is over <see cref="MaxBytes"/> (<c>TooLarge</c>) or not UTF-8.
    /// The API's PUT and the directory page read an upload so.
    /// </summary>
    public static async Task<(string? Text, bool TooLarge)> ReadCsvAsync(Stream body, CancellationToken cancellation)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellation)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return (null, true);
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            return (Utf8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length), false);
        }
        catch (DecoderFallbackException)
        {
            return (null, false);
        }
    }

    public const string NotUtf8 = "must be UTF-8 text";
}
