using System.Text.Json.Nodes;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Http;
using ContinuityOfCare.Journeys.TreatmentStart;
using ContinuityOfCare.Worklists;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using NodaTime;
using Scalar.AspNetCore;

namespace ContinuityOfCare.Hosting;

/// <summary>
/// The API described: an OpenAPI 3 document at /openapi/v1.json and a reference page at /docs (Scalar, served from
/// the service itself, so it works offline). Neither needs a token. Endpoints read their bodies and queries by hand
/// (for errors that name the field), so the bodies, queries, codes, dates and problem answers are described here.
/// </summary>
public static class ApiDescription
{
    public const string DocumentPath = "/openapi/v1.json";

    private sealed record Query(
        JsonSchemaType Type, string? Format, bool Required, string Description, string[]? Values = null);

    private static readonly Dictionary<string, Query> Queries = new()
    {
        ["from"] = new(JsonSchemaType.String, "date", false,
            "First release date of the period (YYYY-MM-DD, 2000-01-01 or later); required unless period is given."),
        ["to"] = new(JsonSchemaType.String, "date", false,
            "Last release date of the period (YYYY-MM-DD): at most five years after today, and less than ten years " +
            "after from; required unless period is given."),
        ["period"] = new(JsonSchemaType.String, null, false,
            "Instead of from and to (not with them): a financial year (2025-26, April to March), a quarter " +
            "(2026-Q2) or a month (2026-11). 2000-01 to 2011-12 are both a month and a financial year: write " +
            "month:2011-12 or financial-year:2011-12 (any period may be written after its kind)."),
        ["by"] = new(JsonSchemaType.String, null, false,
            "The breakdown, or two separated by a comma for a two-way table (by=prison,month: rows, then columns); " +
            $"the total alone when left out. One of: {string.Join(", ", Breakdown.Names.Keys)}."),
        ["asOf"] = new(JsonSchemaType.String, "date", false,
            "The figures as known at the end of this day in London (not after today); today when left out."),
        ["unsuppressed"] = new(JsonSchemaType.Boolean, null, false,
            "Figures without small-number suppression: needs the figures:unsuppressed permission."),
        ["days"] = new(JsonSchemaType.Integer, "int32", false, "How many days ahead, 0 to 366 (14 when left out)."),
        ["filter"] = new(JsonSchemaType.String, null, false,
            "Which handovers: live, closing within 3 days, not released, lapsed; all when left out.",
            [.. Enum.GetValues<InboxFilter>().Select(f => ApiJson.Code(f))]),
        ["ref"] = new(JsonSchemaType.String, null, false, "Part of a journey reference, any case."),
        ["page"] = new(JsonSchemaType.Integer, "int32", false,
            "Which page, from 1 (1 when left out). Without page and pageSize, the whole list is answered."),
        ["pageSize"] = new(JsonSchemaType.Integer, "int32", false,
            $"Entries per page, 1 to {WorklistPage.MaxSize} ({WorklistPage.DefaultSize} when only page is given)."),
        [ImportTreatmentStartsEndpoint.DryRun] = new(JsonSchemaType.Boolean, null, false,
            "true: answer what each row would become and record nothing (false when left out)."),
        ["prison"] = new(JsonSchemaType.String, null, false, "Only releases from this prison (its code)."),
        ["localAuthority"] = new(JsonSchemaType.String, null, false,
            "Only releases to this destination local authority (its code)."),
        ["provider"] = new(JsonSchemaType.String, null, false,
            "Only journeys handed to this community provider, after redirects (its code)."),
        ["format"] = new(JsonSchemaType.String, null, false,
            "csv for a CSV file (as Accept: text/csv), json (the default).", ["csv", "json"]),
    };

    public static void AddApiDescription(this IServiceCollection services) =>
        services.AddOpenApi("v1", options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Continuity of Care API",
                    Version = "v1",
                    Description = "Journeys of people leaving prison with a drug or alcohol treatment need, from " +
                        "custody treatment through release to pickup by community treatment, and the continuity " +
                        "figures. Every endpoint but the health checks needs a bearer token (JWT) with role and org " +
                        "claims.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT",
                    Description = "An access token from the OpenID Connect authority (or mint-token in development).",
                };
                document.Tags = new HashSet<OpenApiTag>
                {
                    new()
                    {
                        Name = "Journeys", Description = "The pathway: each step a prison team or provider records.",
                    },
                    new()
                    {
                        Name = "Worklists", Description = "A provider's handover inbox and a prison's releases due.",
                    },
                    new()
                    {
                        Name = "Analyst tables",
                        Description = "Continuity, time to pickup and retention, with disclosure control.",
                    },
                    new()
                    {
                        Name = "Organisations",
                        Description = "Names and regions of prisons, local authorities and providers, by code.",
                    },
                    new() { Name = "Operations", Description = "Operators' tasks." },
                    new() { Name = "Health", Description = "For load balancers and monitoring: no token needed." },
                };
                DescribeHealth(document);
                document.Security =
                [
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] },
                ];
                return Task.CompletedTask;
            });
            options.AddSchemaTransformer((schema, context, _) =>
            {
                Describe(schema, Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type);
                return Task.CompletedTask;
            });
            options.AddOperationTransformer(DescribeOperationAsync);
        });

    public static void MapApiDescription(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous().ExcludeFromDescription();
        app.MapScalarApiReference(
                "/docs", options => options.WithTitle("Continuity of Care API").WithOpenApiRoutePattern(DocumentPath))
            .AllowAnonymous();
    }

    /// <summary>Dates, instants and codes as the contract writes them, not as .NET types look.</summary>
    private static void Describe(OpenApiSchema schema, Type type)
    {
        if (type == typeof(LocalDate) || type == typeof(Instant))
        {
            schema.Type = JsonSchemaType.String;
            schema.Format = type == typeof(LocalDate) ? "date" : "date-time";
            schema.Properties?.Clear();
            schema.Required?.Clear();
        }
        else if (type.IsEnum)
        {
            schema.Type = JsonSchemaType.String;
            schema.Format = null;
            schema.Enum = [.. Enum.GetNames(type).Select(name => (JsonNode)JsonValue.Create(ApiJson.Code(name)))];
        }
    }

    private static async Task DescribeOperationAsync(
        OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellation)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var route = "/" + context.Description.RelativePath;
        if (!route.StartsWith("/api/", StringComparison.Ordinal))
        {
            operation.Security = [];
            return;
        }

        var area = Area(route);
        operation.Tags = new HashSet<OpenApiTagReference> { new(area, context.Document) };
        // The endpoint's own summary (its route attribute), else its method and route.
        operation.Summary = metadata.OfType<EndpointSummaryAttribute>().FirstOrDefault()?.Summary
            ?? $"{context.Description.HttpMethod} {route}";
        operation.Responses?.Remove("404"); // Wolverine declares one on every endpoint; only journey routes have one
        var problem = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, cancellation);
        var invalid = await context.GetOrCreateSchemaAsync(typeof(HttpValidationProblemDetails), null, cancellation);
        if (metadata.OfType<RequestBodyAttribute>().FirstOrDefault() is { } body)
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new()
                    {
                        Schema = await context.GetOrCreateSchemaAsync(body.Type, null, cancellation),
                    },
                },
            };
            Respond(operation, 400, "The body is invalid: `errors` names each field.", invalid);
            Respond(operation, 413, "The body is over 64 KiB.", problem);
            Respond(operation, 415, "The body is not JSON.", problem);
        }

        if (metadata.OfType<CsvBodyAttribute>().FirstOrDefault() is { } csv)
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = csv.Description,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["text/csv"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                },
            };
            Respond(operation, 400, csv.Invalid, invalid);
            Respond(operation, 413, $"The body is over {csv.Limit}.", problem);
            Respond(operation, 415, "The body is not text/csv.", problem);
        }

        foreach (var name in metadata.OfType<QueryParametersAttribute>().SelectMany(q => q.Names))
        {
            var query = Queries[name];
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name, In = ParameterLocation.Query, Required = query.Required, Description = query.Description,
                Schema = new OpenApiSchema
                {
                    Type = query.Type, Format = query.Format,
                    Enum = query.Values?.Select(v => (JsonNode)JsonValue.Create(v)).ToList(),
                },
            });
            Respond(operation, 400, "A query parameter is invalid: `errors` names it.", invalid);
        }

        Respond(operation, 401, "No valid bearer token.", problem);
        Respond(operation, 403,
            "Not the caller's: another prison's or provider's journey or list, or the wrong role.", problem);
        if (route.Contains("{journeyId}", StringComparison.Ordinal))
        {
            Respond(operation, 404, "No such journey.", problem);
        }

        if (context.Description.HttpMethod == "POST" && route.StartsWith("/api/v1/journeys", StringComparison.Ordinal))
        {
            Respond(operation, 409,
                "The journey's state (or an earlier request under the same key) does not allow it: " +
                "`field` names the field, `detail` says why.", problem);
        }

        Respond(operation, 429, "Over the caller's rate limit: see Retry-After.", problem);
        Respond(operation, 503,
            "The database is unreachable or the journey is busy: nothing was recorded; see Retry-After.", problem);
    }

    /// <summary>
    /// The health checks, which ASP.NET Core maps as plain request delegates that no API description sees: described
    /// here, beside the rest of the contract (README, "Health").
    /// </summary>
    private static void DescribeHealth(OpenApiDocument document)
    {
        var body = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Required = new HashSet<string> { "status", "embeddedDatabase", "checks" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["status"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Enum = ["ok", "degraded", "database unavailable", "unavailable"],
                },
                ["embeddedDatabase"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Boolean, Description = "Whether the service runs its own PostgreSQL.",
                },
                ["checks"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "Each check by name (database, projections): {status, description, data}.",
                },
            },
        };
        document.Paths ??= [];
        foreach (var (path, summary, checks) in new[]
        {
            ("/health", "Readiness (the same as /health/ready)", true),
            ("/health/ready", "Readiness: the database answers; the analysts' projection's lag", true),
            ("/health/live", "Liveness: the process answers (no checks)", false),
        })
        {
            var responses = new OpenApiResponses
            {
                ["200"] = Health("Ready (or live).", body),
            };
            if (checks)
            {
                responses["503"] = Health("The database is unavailable.", body);
            }

            document.Paths[path] = new OpenApiPathItem
            {
                Operations = new Dictionary<HttpMethod, OpenApiOperation>
                {
                    [HttpMethod.Get] = new()
                    {
                        Summary = summary,
                        Tags = new HashSet<OpenApiTagReference> { new("Health", document) },
                        Security = [],
                        Responses = responses,
                    },
                },
            };
        }
    }

    private static OpenApiResponse Health(string description, IOpenApiSchema body) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = body } },
    };

    /// <summary>Operations grouped by who uses them, as the reference page shows them.</summary>
    private static string Area(string route) => route.Split('/') switch
    {
        [_, "api", "v1", "journeys", ..] => "Journeys",
        [_, "api", "v1", "continuity" or "retention", ..] => "Analyst tables",
        [_, "api", "v1", "providers", _, "treatment-starts", ..] => "Journeys",
        [_, "api", "v1", "providers" or "prisons", ..] => "Worklists",
        [_, "api", "v1", "organisations", ..] => "Organisations",
        _ => "Operations",
    };

    private static void Respond(OpenApiOperation operation, int status, string description, IOpenApiSchema schema)
    {
        operation.Responses ??= [];
        operation.Responses.TryAdd(
            status.ToString(System.Globalization.CultureInfo.InvariantCulture),
            new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/problem+json"] = new() { Schema = schema },
                },
            });
    }
}
