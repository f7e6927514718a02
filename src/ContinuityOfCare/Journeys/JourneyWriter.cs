using ContinuityOfCare.Http;
using JasperFx;
using Marten;
using Polly;
using Polly.Retry;

namespace ContinuityOfCare.Journeys;

/// <summary>Answer to a write on an existing journey.</summary>
public sealed record JourneyWritten(Guid JourneyId, long Version, JourneyStage Stage);

/// <summary>
/// The one path by which events are appended to an existing journey: load the journey, ask its rules, append, commit.
/// The append carries the version that was read, so a racing writer makes the commit fail rather than being
/// overwritten; the whole decision is then retried on the fresh state, where the rules may now say 409.
/// </summary>
public sealed class JourneyWriter(IDocumentStore store)
{
    private static readonly ResiliencePipeline Retry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<ConcurrencyException>(),
            MaxRetryAttempts = 5,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(10),
            UseJitter = true,
        })
        .Build();

    public async Task<IResult> AppendAsync(
        Guid journeyId, HttpContext http, Func<Journey, Decision> decide, CancellationToken cancellation)
    {
        return await Retry.ExecuteAsync(async token =>
        {
            await using var session = store.LightweightSession();
            session.CorrelationId = Correlation.Of(http);
            var stream = await session.Events.FetchForWriting<Journey>(journeyId, token);
            if (stream.Aggregate is not { } journey)
            {
                return Problems.UnknownJourney(journeyId);
            }

            switch (decide(journey))
            {
                case Rejected rejected:
                    return Problems.Conflict(rejected.Field, rejected.Reason);
                case Accepted accepted:
                    stream.AppendOne(accepted.Event);
                    await session.SaveChangesAsync(token);
                    var written = await session.LoadAsync<Journey>(journeyId, token);
                    return Results.Ok(new JourneyWritten(journeyId, written!.Version, written.Stage));
                default:
                    throw new InvalidOperationException("Unknown decision");
            }
        }, cancellation);
    }
}
