namespace ContinuityOfCare.Journeys;

/// <summary>
/// What may be recorded on a journey's stream: the closed set of events <see cref="JourneyFacts.Evolve"/> folds.
/// Each has a stored name pinned in <see cref="JourneysModule"/>; a test checks that none is missing.
/// </summary>
public interface IJourneyEvent;
