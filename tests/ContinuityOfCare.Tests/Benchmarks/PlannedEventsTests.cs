extern alias benchmarks;

using ContinuityOfCare.Continuity;
using ContinuityOfCare.Http;
using ContinuityOfCare.Journeys;
using ContinuityOfCare.Samples;
using NodaTime;
using benchmarks::ContinuityOfCare.Benchmarks.Scale;

namespace ContinuityOfCare.Tests.Benchmarks;

/// <summary>
/// The scale benchmark appends planned journeys through Marten, not HTTP: its events must come to the facts the
/// generator planned, or its figures would be about other journeys than the samples'.
/// </summary>
public sealed class PlannedEventsTests
{
    private static readonly LocalDate Today = new(2026, 11, 23);

    [Fact]
    public void The_bulk_loaders_events_fold_to_the_facts_the_generator_planned()
    {
        var plans = SyntheticJourneys.Generate(new GeneratorSettings(200, new LocalDate(2025, 4, 1), Today, Seed: 7));

        foreach (var plan in plans)
        {
            var planned = PlannedEvents.Of(plan, Today, ContinuityRules.Default);
            var facts = planned.Events.Aggregate((JourneyFacts?)null, JourneyFacts.Fold)!;

            Assert.Equal(0, planned.Refused);
            Assert.Equal(plan.Prison, facts.PrisonCode);
            Assert.Equal(plan.ReleasedOn, facts.Release?.ReleasedOn);
            // A plan names a provider from its release on (one still in custody may be referred already).
            Assert.Equal(plan.Provider, plan.Release is null ? null : facts.Provider);
            Assert.Equal(plan.PickupOn, facts.CommunityTreatmentStartedOn);
            Assert.Equal(plan.Ending?.On, facts.TreatmentEnding?.EndedOn);
            Assert.Equal(ExitOn(plan, ExitKind.Died), facts.DiedOn);
            Assert.Equal(ExitOn(plan, ExitKind.Deported), facts.DeportedOn);
            Assert.Equal(ExitOn(plan, ExitKind.ReturnedToCustody), facts.ReturnedToCustody?.ReturnedOn);
            Assert.Equal(
                plan.LapseReasons is [.., var (_, reason)] ? reason : null,
                facts.WhyLapsed is { } why ? ApiJson.Code(why.Reason) : null);
            // The window-close check's mark, exactly where a window closed with no pickup or exclusion by today.
            var lapsed = facts.Continuity is { } continuity
                && ReleaseOutcomes.Classify(continuity, Today, ContinuityRules.Default).Outcome
                == ReleaseOutcome.NotEngaged;
            Assert.Equal(lapsed, facts.WindowLapsedAfter is not null);
        }
    }

    private static LocalDate? ExitOn(JourneyPlan plan, ExitKind kind) =>
        plan.Exit is { } exit && exit.Kind == kind ? exit.On : null;
}
