using ContinuityOfCare.Http;
using Marten;
using NodaTime;

namespace ContinuityOfCare.Organisations;

/// <summary>An operator's new directory as CSV text: the API's PUT and the directory page send this command.</summary>
public sealed record ReplaceOrganisationDirectory(string Csv, string ReplacedBy);

/// <summary>The directory now in use, or every problem with the CSV (then nothing was replaced).</summary>
public sealed record DirectoryReplacement(OrganisationList? Replaced, ValidationErrors Errors);

public static class ReplaceOrganisationDirectoryHandler
{
    /// <summary>Every row is checked first: one bad row refuses the whole CSV; the directory in use stays.</summary>
    public static DirectoryReplacement Handle(
        ReplaceOrganisationDirectory command, IDocumentSession session, IClock clock)
    {
        var (directory, errors) = OrganisationCsv.Read(command.Csv.TrimStart('\uFEFF'));
        if (directory is null)
        {
            return new DirectoryReplacement(null, errors);
        }

        var stored = new StoredOrganisations
        {
            Organisations = directory.Organisations.ToList(),
            UpdatedAt = clock.GetCurrentInstant(),
            UpdatedBy = command.ReplacedBy,
        };
        session.Store(stored); // committed by Wolverine's transaction middleware once the handler returns
        return new DirectoryReplacement(
            new OrganisationList("uploaded", stored.UpdatedAt, stored.Organisations), errors);
    }
}
