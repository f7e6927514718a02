namespace ContinuityOfCare.Continuity;

/// <summary>
/// Which exits before pickup take a journey out of the rate's denominator (DOMAIN.md: each configurable).
/// </summary>
public sealed record ExclusionRules(bool Died = true, bool Deported = true, bool ReturnedToCustody = true)
{
    public static ExclusionRules All { get; } = new();

    public bool Applies(ExclusionReason reason) => reason switch
    {
        ExclusionReason.Died => Died,
        ExclusionReason.Deported => Deported,
        ExclusionReason.ReturnedToCustody => ReturnedToCustody,
        _ => false,
    };
}

/// <summary>Everything an outcome depends on besides the journey's dates and "today".</summary>
public sealed record ContinuityRules(
    ContinuityWindow Window,
    int RetentionDays = ContinuityRules.DefaultRetentionDays,
    ExclusionRules? Exclusions = null)
{
    public const int DefaultRetentionDays = 12 * 7;

    public static ContinuityRules Default { get; } = new(ContinuityWindow.Default);

    public ExclusionRules Exclusions { get; init; } = Exclusions ?? ExclusionRules.All;
}
