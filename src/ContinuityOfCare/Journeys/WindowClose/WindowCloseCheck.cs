using ContinuityOfCare.Access;
using ContinuityOfCare.Continuity;
using Marten;
using NodaTime;
using Wolverine;
using Wolverine.Marten;

namespace ContinuityOfCare.Journeys.WindowClose;

/// <summary>
/// Scheduled (durably, through Wolverine's outbox) for the moment a journey's window closes. It carries only the
/// journey: the handler decides from the journey's current dates, so a corrected release or a late pickup that
/// arrived since can never make a stale message mark the wrong thing.
/// </summary>
public sealed record WindowCloseDue(Guid JourneyId);

public static class WindowCloseCheck
{
    /// <summary>
    /// When an accepted event leaves a released journey without a pickup and with a release date it did not have
    /// before (a release, or a correction of its date), the instant its window closes; otherwise null.
    /// </summary>
    public static Instant? DueAfter(JourneyFacts before, JourneyFacts after, ContinuityRules rules) =>
        after.Release is { } release
            && after.CommunityTreatmentStartedOn is null
            && before.Release?.ReleasedOn != release.ReleasedOn
            ? ClosesAt(release.ReleasedOn, rules)
            : null;

    public static Instant ClosesAt(LocalDate releasedOn, ContinuityRules rules) =>
        LondonCalendar.EndOf(rules.Window.LastDay(releasedOn));

    /// <summary>
    /// Schedules the check for when the window closes (by the service's clock); when it already has (a backdated
    /// release), sends it at once rather than leaving it to the scheduler's next poll. Sent through the outbox with
    /// the handler's transaction, so the check exists if and only if what opened the window committed.
    /// </summary>
    public static void Schedule(OutgoingMessages messages, Guid journeyId, Instant closesAt, IClock clock)
    {
        var delay = closesAt - clock.GetCurrentInstant();
        if (delay > Duration.Zero)
        {
            messages.Delay(new WindowCloseDue(journeyId), delay.ToTimeSpan());
        }
        else
        {
            messages.Add(new WindowCloseDue(journeyId));
        }
    }
}

public static class WindowCloseHandler
{
    /// <summary>
    /// Marks the journey not engaged if its window has closed with no pickup and no exclusion. Runs however late the
    /// message is delivered (after downtime it is picked up from the database when the service starts), and does
    /// nothing when there is nothing to mark, so a repeat or an outdated message is harmless.
    /// </summary>
    [AggregateHandler(ConcurrencyStyle.Exclusive)]
    public static (Events, OutgoingMessages) Handle(
        WindowCloseDue due, Journey? journey, IDocumentSession session, IClock clock, ContinuityRules rules,
        ILogger<WindowCloseDue> logger)
    {
        var (events, messages) = (new Events(), new OutgoingMessages());
        if (journey?.Facts is not { Continuity: { } continuity } facts)
        {
            logger.LogInformation("Window close check for journey {JourneyId}: nothing to check", due.JourneyId);
            return (events, messages);
        }

        var lastDay = rules.Window.LastDay(continuity.ReleasedOn);
        var outcome = ReleaseOutcomes.Classify(continuity, LondonCalendar.Today(clock), rules).Outcome;
        // One line per check run, on whichever node runs it: how operators (and the several-node test) see that
        // each check ran exactly once.
        logger.LogInformation("Window close check for journey {JourneyId}: {Outcome}", due.JourneyId, outcome);
        switch (outcome)
        {
            case ReleaseOutcome.Pending:
                // Delivered early (a clock difference, or the window was widened): look again when it really closes.
                WindowCloseCheck.Schedule(
                    messages, due.JourneyId, WindowCloseCheck.ClosesAt(continuity.ReleasedOn, rules), clock);
                break;
            case ReleaseOutcome.NotEngaged when facts.WindowLapsedAfter != lastDay:
                Audit.Stamp(session, Audit.Service);
                events.Add(new ContinuityWindowLapsed(lastDay));
                break;
        }

        return (events, messages);
    }
}
