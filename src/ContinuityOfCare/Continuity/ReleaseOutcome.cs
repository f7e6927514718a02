using NodaTime;

namespace ContinuityOfCare.Continuity;

/// <summary>How a released journey stands on a given date (see DOMAIN.md, "Outcome of each released journey").</summary>
public enum ReleaseOutcome
{
    Engaged,
    EngagedLate,
    NotEngaged,
    Pending,
}

public static class ReleaseOutcomes
{
    /// <summary>
    /// Classifies by business dates only. A pickup dated before the release is community treatment before this
    /// release, not continuity after it, so it is treated as no pickup.
    /// </summary>
    public static ReleaseOutcome Classify(LocalDate releasedOn, LocalDate? pickedUpOn, LocalDate today, ContinuityWindow window)
    {
        if (pickedUpOn is { } pickup && pickup >= releasedOn)
        {
            return window.Contains(releasedOn, pickup) ? ReleaseOutcome.Engaged : ReleaseOutcome.EngagedLate;
        }

        return window.IsOpenOn(releasedOn, today) ? ReleaseOutcome.Pending : ReleaseOutcome.NotEngaged;
    }
}
