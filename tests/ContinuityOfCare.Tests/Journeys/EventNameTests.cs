using ContinuityOfCare.Journeys;

namespace ContinuityOfCare.Tests.Journeys;

/// <summary>Stored event names are part of the data: every event a journey can hold has one pinned.</summary>
public sealed class EventNameTests
{
    [Fact]
    public void Every_journey_event_has_a_pinned_stored_name()
    {
        var pinned = JourneysModule.StoredNames;

        var events = typeof(IJourneyEvent).Assembly.GetTypes()
            .Where(t => t.IsClass && typeof(IJourneyEvent).IsAssignableFrom(t))
            .ToList();

        Assert.Equal(21, events.Count);
        Assert.All(events, e => Assert.True(pinned.ContainsKey(e), $"{e.Name} has no stored name in JourneysModule"));
        Assert.Equal(events.Count, events.Select(e => pinned[e]).Distinct().Count());
    }
}
