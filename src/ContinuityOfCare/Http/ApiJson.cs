using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using NodaTime.Text;

namespace ContinuityOfCare.Http;

/// <summary>
/// The JSON of the HTTP contract: camelCase names, kebab-case codes ("non-opiate-and-alcohol"), dates as YYYY-MM-DD,
/// instants as ISO-8601. Reading is strict so that an integrator's mistake is named, never guessed at.
/// </summary>
public static class ApiJson
{
    // Before any other static: the projection asks for a code per journey and breakdown, spelled once per member.
    private static readonly ConcurrentDictionary<Enum, string> Codes = new();

    public static JsonSerializerOptions Options { get; } =
        Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>A code as the contract spells it: "non-opiate-and-alcohol" for NonOpiateAndAlcohol.</summary>
    public static string Code(Enum value) => Codes.GetOrAdd(value, v => Code(v.ToString()));

    /// <summary>The contract's spelling of an enum member's name.</summary>
    public static string Code(string name) => JsonNamingPolicy.KebabCaseLower.ConvertName(name);

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        // Keys are field names (errors), already spelled as the request spells them.
        options.DictionaryKeyPolicy = null;
        options.PropertyNameCaseInsensitive = false;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.AllowDuplicateProperties = false;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.Converters.Add(new ExactCodeConverterFactory());
        options.Converters.Add(new StrictPatternConverter<LocalDate>(LocalDatePattern.Iso, "a date as YYYY-MM-DD"));
        options.Converters.Add(new StrictPatternConverter<Instant>(
            InstantPattern.ExtendedIso, "an instant as ISO-8601, e.g. 2026-03-29T10:15:00Z"));
        return options;
    }

    /// <summary>
    /// Codes are read exactly as the contract spells them ("non-opiate"). The framework's enum converter would also
    /// take "NonOpiate", other casings, and comma-joined flag lists that quietly become a different value.
    /// </summary>
    private sealed class ExactCodeConverterFactory : JsonConverterFactory
    {
        public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

        public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(ExactCodeConverter<>).MakeGenericType(typeToConvert))!;
    }

    private sealed class ExactCodeConverter<T> : JsonConverter<T>
        where T : struct, Enum
    {
        private static readonly Dictionary<string, T> ByCode =
            Enum.GetValues<T>().ToDictionary(Code, v => v, StringComparer.Ordinal);

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String && ByCode.TryGetValue(reader.GetString()!, out var value))
            {
                return value;
            }

            throw new JsonException($"must be one of: {string.Join(", ", ByCode.Keys)}");
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WriteStringValue(Code(value));

        private static string Code(T value) => ApiJson.Code(value);
    }

    /// <summary>
    /// NodaTime's own converters throw their own exception type on a bad value, which would lose the JSON path; a
    /// JsonException lets the serializer add the path, so the error names the field.
    /// </summary>
    /// <summary>
    /// Parses the whole text. NodaTime's parser reads U+0000 as the end of the text, so "2026-12-01\u0000…" would
    /// otherwise pass as a date: control characters are refused first.
    /// </summary>
    public static bool TryParse<T>(IPattern<T> pattern, string text, out T value)
    {
        value = default!;
        if (text.Any(char.IsControl))
        {
            return false;
        }

        var result = pattern.Parse(text);
        if (result.Success)
        {
            value = result.Value;
        }

        return result.Success;
    }

    private sealed class StrictPatternConverter<T>(IPattern<T> pattern, string expected) : JsonConverter<T>
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new JsonException($"must be {expected}");
            }

            var text = reader.GetString()!;
            return TryParse(pattern, text, out var value)
                ? value
                : throw new JsonException($"must be {expected}, not '{Truncate(text)}'");
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WriteStringValue(pattern.Format(value));

        private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";
    }
}
