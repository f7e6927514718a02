using ContinuityOfCare.Access;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Http;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;

namespace ContinuityOfCare.Journeys.Lapse;

public sealed record RecordLapseReasonRequest(LapseReason? Reason, string? Text = null, LocalDate? LearnedOn = null)
    : ICheckedRequest
{
    public const int TextMaxLength = 200;

    public ValidationErrors Errors(LocalDate today) => new ValidationErrors()
        .Also(e => e.Required("reason", Reason))
        .Also(e =>
        {
            if (Reason == LapseReason.Other)
            {
                e.Reference("text", Text, TextMaxLength);
            }
            else if (Text is not null)
            {
                e.Add("text", "is only for the reason other");
            }
        })
        .Also(e => { if (LearnedOn is not null) e.PastDate("learnedOn", LearnedOn, today); });
}

/// <summary>A date the caller left out is today's, resolved before the command is sent.</summary>
public sealed record RecordLapseReason(Guid JourneyId, LapseReason Reason, string? Text, LocalDate LearnedOn)
    : IJourneyCommand;

public static class RecordLapseReasonHandler
{
    /// <summary>Either side: the provider the journey is handed to, or the prison that released the person.</summary>
    [AggregateHandler(ConcurrencyStyle.Exclusive)]
    public static Task<(StepAnswer, Events, OutgoingMessages)> Handle(
        RecordLapseReason command, Journey? journey, JourneyStep step, IClock clock, ContinuityRules rules,
        CancellationToken cancellation) =>
        step.TakeAsync(command, journey, Side.Either,
            facts => RecordLapseReasonEndpoint.Decide(facts, command, LondonCalendar.Today(clock), rules),
            cancellation);
}

public static class RecordLapseReasonEndpoint
{
    /// <summary>
    /// Why the window closed without a pickup (coded; `text` only with `other`). The same reason again changes
    /// nothing; a different one later corrects it, keeping the first in the history.
    /// </summary>
    [WolverinePost(
        "/api/v1/journeys/{journeyId}/lapse-reason",
        Summary = "Record why the window lapsed without a pickup")]
    [RequestBody(typeof(RecordLapseReasonRequest))]
    [ProducesResponseType<JourneyWritten>(200)]
    public static Task<IResult> Post(
        Guid journeyId, HttpRequest request, IMessageBus bus, IClock clock, CancellationToken cancellation) =>
        JourneyStepEndpoint.SendAsync<RecordLapseReasonRequest>(request, bus, clock,
            (body, today) => new RecordLapseReason(journeyId, body.Reason!.Value, body.Text, body.LearnedOn ?? today),
            cancellation);

    public static Decision Decide(
        JourneyFacts journey, RecordLapseReason command, LocalDate today, ContinuityRules rules)
    {
        if (NotLapsed(journey, today, rules) is { } why)
        {
            return Decision.Reject("reason", why);
        }

        return journey.WhyLapsed switch
        {
            null => Decision.AcceptIfConsistent(
                journey, new LapseReasonRecorded(command.Reason, command.Text, command.LearnedOn), "learnedOn"),
            { } known when known.Reason == command.Reason && known.Text == command.Text => Decision.Unchanged,
            { } known => Decision.AcceptIfConsistent(
                journey, new LapseReasonCorrected(known.Reason, command.Reason, command.Text, command.LearnedOn),
                "learnedOn"),
        };
    }

    /// <summary>
    /// Why the journey's window has not lapsed without a pickup as of <paramref name="today"/>, or null when it has:
    /// its outcome is not engaged, the outcome the analysts' table of reasons counts.
    /// </summary>
    public static string? NotLapsed(JourneyFacts journey, LocalDate today, ContinuityRules rules)
    {
        if (journey.Continuity is not { } continuity)
        {
            return "the person has not been released, so no window has lapsed";
        }

        var classification = ReleaseOutcomes.Classify(continuity, today, rules);
        return classification.Outcome switch
        {
            ReleaseOutcome.NotEngaged => null,
            ReleaseOutcome.Pending =>
                $"the window is open until {rules.Window.LastDay(continuity.ReleasedOn).Iso()}: " +
                "a reason is recorded " +
                "once it closes without a pickup",
            ReleaseOutcome.Engaged or ReleaseOutcome.EngagedLate =>
                $"community treatment started on {continuity.Pickup!.Value.Iso()}: the person was picked up",
            _ => $"the journey is excluded ({ApiJson.Code(classification.Reason!.Value)} within the window), " +
                "not lapsed",
        };
    }

    /// <summary>The journeys on the "lapsed, reason needed" worklists.</summary>
    public static bool ReasonNeeded(JourneyFacts journey, LocalDate today, ContinuityRules rules) =>
        journey.WhyLapsed is null && NotLapsed(journey, today, rules) is null;
}
