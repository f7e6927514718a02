namespace ContinuityOfCare.Continuity;

/// <summary>The "Continuity" configuration section.</summary>
public sealed class ContinuitySettings
{
    public int WindowDays { get; set; } = ContinuityWindow.DefaultDays;

    /// <summary>How long after release a person picked up in the window must still be in treatment to count as retained.</summary>
    public int RetentionWeeks { get; set; } = ContinuityRules.DefaultRetentionDays / 7;

    public bool ExcludeDied { get; set; } = true;

    public bool ExcludeDeported { get; set; } = true;

    public bool ExcludeReturnedToCustody { get; set; } = true;

    /// <summary>Groups with 1 to (threshold - 1) releases are suppressed in analyst tables.</summary>
    public int SuppressionThreshold { get; set; } = Disclosure.DefaultThreshold;

    public ContinuityWindow Window => new(WindowDays);

    public ContinuityRules Rules => new(
        Window,
        RetentionWeeks is >= 1 and <= 104 ? RetentionWeeks * 7 : throw new InvalidOperationException("Continuity:RetentionWeeks must be 1 to 104"),
        new ExclusionRules(ExcludeDied, ExcludeDeported, ExcludeReturnedToCustody));
}
