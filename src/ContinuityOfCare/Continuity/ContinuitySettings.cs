namespace ContinuityOfCare.Continuity;

/// <summary>The "Continuity" configuration section.</summary>
public sealed class ContinuitySettings
{
    public int WindowDays { get; set; } = ContinuityWindow.DefaultDays;

    public ContinuityWindow Window => new(WindowDays);
}
