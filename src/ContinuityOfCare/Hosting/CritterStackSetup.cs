using JasperFx;
using JasperFx.CodeGeneration;
using Marten;

namespace ContinuityOfCare.Hosting;

/// <summary>
/// How Marten and Wolverine treat generated code and the database schema, per environment (JasperFx profiles).
/// Development and Testing load the committed generated handlers (Internal/Generated, written by
/// <c>codegen write</c>) and compile at run time only what is missing; production loads them and compiles nothing.
/// Development and Testing create or update the schema on start; production does so only for the embedded default
/// or when Database__ApplyChangesOnStartup is true, and otherwise expects <c>db-apply</c> to have been run.
/// </summary>
public static class CritterStackSetup
{
    /// <summary>Sets the profiles; answers whether this start may change the schema.</summary>
    public static bool UseCritterStackDefaults(this WebApplicationBuilder builder, ServiceDatabase database)
    {
        var development = builder.Environment.IsDevelopment() || builder.Environment.IsEnvironment("Testing");
        var changesSchema = development || database.ApplyChangesOnStartup;
        builder.Services.CritterStackDefaults(x =>
        {
            // JasperFx knows one development environment; the tests' host is one too.
            x.DevelopmentEnvironmentName =
                builder.Environment.EnvironmentName == "Testing" ? "Testing" : "Development";
            x.Development.GeneratedCodeMode = TypeLoadMode.Auto;
            // Only `codegen write` writes Internal/Generated: a run never leaves files behind.
            x.Development.SourceCodeWritingEnabled = false;
            x.Development.ResourceAutoCreate = AutoCreate.CreateOrUpdate;

            x.Production.GeneratedCodeMode = TypeLoadMode.Static;
            x.Production.SourceCodeWritingEnabled = false;
            x.Production.AssertAllPreGeneratedTypesExist = true;
            x.Production.ResourceAutoCreate = changesSchema ? AutoCreate.CreateOrUpdate : AutoCreate.None;
        });

        return changesSchema;
    }

    /// <summary>
    /// Applies Marten's schema at start when allowed (not on first use, so first requests stay fast); otherwise
    /// checks it, so a database that db-apply has not brought up to date stops the start, naming the difference.
    /// </summary>
    public static MartenServiceCollectionExtensions.MartenConfigurationExpression ChangesSchemaOnStartup(
        this MartenServiceCollectionExtensions.MartenConfigurationExpression marten, bool changesSchema) =>
        changesSchema
            ? marten.ApplyAllDatabaseChangesOnStartup()
            : marten.AssertDatabaseMatchesConfigurationOnStartup();
}
