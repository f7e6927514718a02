using Marten;

namespace ContinuityOfCare.Organisations;

/// <summary>The organisations module's Marten pieces: the directory an operator uploaded.</summary>
public static class OrganisationsModule
{
    public static void AddOrganisations(this StoreOptions opts) => opts.Schema.For<StoredOrganisations>();
}
