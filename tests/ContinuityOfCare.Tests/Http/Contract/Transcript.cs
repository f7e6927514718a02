using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ContinuityOfCare.Tests.Http.Contract;

/// <summary>
/// Exchanges with the service as an integrator sees them (request line, status, content type, headers that matter,
/// body), written as one JSON document for a snapshot. The clock is fixed, so dates, instants, versions and event
/// sequences are compared as they are. Only what the service mints afresh each run is replaced before matching:
/// journey ids (each distinct id becomes {id-1}, {id-2}… in order of first appearance, so a body still has to name
/// the same journey as the request) and trace ids ({trace-1}…). Replacing, not ignoring: the shape and the
/// sameness of each value are still compared.
/// </summary>
public sealed partial class Transcript
{
    private readonly JsonArray _exchanges = [];
    private readonly Dictionary<string, string> _placeholders = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Records <paramref name="response"/> under <paramref name="title"/>, and returns it.</summary>
    public async Task<HttpResponseMessage> AddAsync(string title, HttpResponseMessage response)
    {
        var request = response.RequestMessage!;
        var exchange = new JsonObject
        {
            ["title"] = title,
            ["request"] = Normalise($"{request.Method} {request.RequestUri!.PathAndQuery}"),
            ["status"] = (int)response.StatusCode,
            ["contentType"] = response.Content.Headers.ContentType?.ToString(),
        };
        if (response.Headers.Location is { } location)
        {
            exchange["location"] = Normalise(location.OriginalString);
        }

        if (response.Headers.RetryAfter is { } retryAfter)
        {
            exchange["retryAfter"] = retryAfter.ToString();
        }

        if (response.Headers.WwwAuthenticate.Count > 0)
        {
            exchange["wwwAuthenticate"] = response.Headers.WwwAuthenticate.ToString();
        }

        var text = await response.Content.ReadAsStringAsync();
        exchange["body"] = response.Content.Headers.ContentType?.MediaType switch
        {
            "application/json" or "application/problem+json" => Normalise(JsonNode.Parse(text)),
            "text/csv" => new JsonArray(
                text.Split('\n').Select(line => (JsonNode?)JsonValue.Create(Normalise(line))).ToArray()),
            _ when text.Length == 0 => null,
            _ => Normalise(text),
        };
        _exchanges.Add(exchange);
        return response;
    }

    public override string ToString() => _exchanges.ToJsonString(new JsonSerializerOptions
    {
        WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    private JsonNode? Normalise(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, value) in o.ToList())
                {
                    o[name] = Normalise(value?.DeepClone());
                }

                return o;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    a[i] = Normalise(a[i]?.DeepClone());
                }

                return a;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                return JsonValue.Create(Normalise(v.GetValue<string>()));
            default:
                return node;
        }
    }

    private string Normalise(string text) =>
        TraceId().Replace(Id().Replace(text, m => Placeholder("id", m.Value)), m => Placeholder("trace", m.Value));

    private string Placeholder(string kind, string value)
    {
        if (!_placeholders.TryGetValue(value, out var placeholder))
        {
            var number = _placeholders.Values.Count(p => p.StartsWith($"{{{kind}-", StringComparison.Ordinal)) + 1;
            placeholder = $"{{{kind}-{number}}}";
            _placeholders[value] = placeholder;
        }

        return placeholder;
    }

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", RegexOptions.IgnoreCase)]
    private static partial Regex Id();

    [GeneratedRegex("(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])")]
    private static partial Regex TraceId();
}
