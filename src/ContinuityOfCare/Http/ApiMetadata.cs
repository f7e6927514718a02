namespace ContinuityOfCare.Http;

/// <summary>The JSON body an endpoint reads (strictly, by hand), for the API description only.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequestBodyAttribute(Type type) : Attribute
{
    public Type Type { get; } = type;
}

/// <summary>A CSV body an endpoint reads by hand: its columns and size limit, for the API description only.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class CsvBodyAttribute(string description, string limit) : Attribute
{
    public string Description { get; } = description;

    public string Limit { get; } = limit;

    /// <summary>What a 400 means for this body.</summary>
    public string Invalid { get; set; } =
        "A row is invalid: `errors` names each as \"row N, column\"; nothing is applied.";
}

/// <summary>The query parameters an endpoint reads by hand, by name (see <see cref="ApiDescription"/>).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class QueryParametersAttribute(params string[] names) : Attribute
{
    public IReadOnlyList<string> Names { get; } = names;
}
