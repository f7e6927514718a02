using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NodaTime;
using NodaTime.Text;

namespace ContinuityOfCare.Samples;

/// <summary>
/// Posts planned journeys through the HTTP API in the order the service would have learnt of them: day by day, each
/// journey's steps in turn, journeys side by side. Every step carries an Idempotency-Key derived from the journey
/// reference, so a load that is interrupted can simply be run again, and so can a request: the client's handler
/// retries what a busy service answers (see Program.cs). <paramref name="posted"/> is told of each request answered.
/// </summary>
public sealed class JourneyLoader(HttpClient client, int parallelism = 4, Action? posted = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new IsoDateConverter() },
    };

    /// <summary>
    /// Loads every plan; <paramref name="beforeDay"/> runs before each recording day (tests move their clock there).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, Guid>> LoadAsync(
        IReadOnlyList<JourneyPlan> plans,
        Func<LocalDate, Task>? beforeDay = null,
        CancellationToken cancellation = default)
    {
        var journeyIds = new Dictionary<string, Guid>();
        var days = plans
            .SelectMany(plan => plan.Steps.Select(step => (plan.JourneyRef, Step: step)))
            .GroupBy(s => s.Step.RecordedOn)
            .OrderBy(day => day.Key);

        foreach (var day in days)
        {
            if (beforeDay is not null)
            {
                await beforeDay(day.Key);
            }

            var journeys = day.GroupBy(s => s.JourneyRef).ToList();
            await Parallel.ForEachAsync(
                journeys,
                new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellation },
                async (journey, token) =>
                {
                    foreach (var (journeyRef, step) in journey.OrderBy(s => s.Step.Order))
                    {
                        Guid? id;
                        lock (journeyIds)
                        {
                            id = journeyIds.TryGetValue(journeyRef, out var known) ? known : null;
                        }

                        var registered = await PostAsync(journeyRef, id, step, token);
                        if (registered is { } newId)
                        {
                            lock (journeyIds)
                            {
                                journeyIds[journeyRef] = newId;
                            }
                        }
                    }
                });
        }

        return journeyIds;
    }

    private async Task<Guid?> PostAsync(
        string journeyRef, Guid? journeyId, PlannedStep step, CancellationToken cancellation)
    {
        var url = step.Action == ""
            ? "/api/v1/journeys"
            : $"/api/v1/journeys/{journeyId ?? throw Missing(journeyRef)}/{step.Action}";
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = JsonContent.Create(step.Body, step.Body.GetType(), options: Json),
        };
        request.Headers.Add("Idempotency-Key", $"{journeyRef}/{step.Action}/{step.Order}");
        using var response = await client.SendAsync(request, cancellation);
        posted?.Invoke();
        if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Created))
        {
            throw new InvalidOperationException(
                $"{journeyRef} {step.Action} recorded {step.RecordedOn}: {(int)response.StatusCode} " +
                $"{await response.Content.ReadAsStringAsync(cancellation)}");
        }

        return step.Action == ""
            ? (await response.Content.ReadFromJsonAsync<JsonElement>(cancellation)).GetProperty("journeyId").GetGuid()
            : null;
    }

    private static InvalidOperationException Missing(string journeyRef) =>
        new($"{journeyRef} was not registered before its other steps");

    private sealed class IsoDateConverter : System.Text.Json.Serialization.JsonConverter<LocalDate>
    {
        public override LocalDate Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            LocalDatePattern.Iso.Parse(reader.GetString()!).Value;

        public override void Write(Utf8JsonWriter writer, LocalDate value, JsonSerializerOptions options) =>
            writer.WriteStringValue(LocalDatePattern.Iso.Format(value));
    }
}
