namespace ContinuityOfCare.Continuity;

/// <summary>The "Continuity" configuration section.</summary>
public sealed class ContinuitySettings
{
    public const string Section = "Continuity";

    public int WindowDays { get; set; } = ContinuityWindow.DefaultDays;

    /// <summary>
    /// How long after release a person picked up in the window must still be in treatment to count as retained.
    /// </summary>
    public int RetentionWeeks { get; set; } = ContinuityRules.DefaultRetentionDays / 7;

    public bool ExcludeDied { get; set; } = true;

    public bool ExcludeDeported { get; set; } = true;

    public bool ExcludeReturnedToCustody { get; set; } = true;

    /// <summary>
    /// Groups with 1 to (threshold - 1) releases are suppressed in analyst tables; 1 turns suppression off.
    /// </summary>
    public int SuppressionThreshold { get; set; } = Disclosure.DefaultThreshold;

    /// <summary>
    /// How many events the analysts' projection takes at once when behind (a catch-up, a rebuild): larger batches
    /// share more cells, so write fewer rows, and hold more events in memory (docs/scale.md).
    /// </summary>
    public int ProjectionBatchSize { get; set; } = DefaultProjectionBatchSize;

    public const int DefaultProjectionBatchSize = 100_000;

    public ContinuityWindow Window => new(WindowDays);

    public ContinuityRules Rules =>
        new(Window, RetentionWeeks * 7, new ExclusionRules(ExcludeDied, ExcludeDeported, ExcludeReturnedToCustody));

    /// <summary>Reads and checks the section; a bad value stops the start with a message naming the setting.</summary>
    public static ContinuitySettings From(IConfiguration configuration)
    {
        ContinuitySettings settings;
        try
        {
            settings = configuration
                .GetSection(Section)
                .Get<ContinuitySettings>(o => o.ErrorOnUnknownConfiguration = true) ?? new ContinuitySettings();
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidSettingsException($"the {Section} settings cannot be read: {e.Message}");
        }

        var problems = new List<string>();
        if (settings.WindowDays is < 0 or > 366)
        {
            problems.Add($"{Section}:WindowDays must be 0 to 366");
        }

        if (settings.RetentionWeeks is < 1 or > 104)
        {
            problems.Add($"{Section}:RetentionWeeks must be 1 to 104");
        }

        if (settings.SuppressionThreshold is < 1 or > 1000)
        {
            problems.Add($"{Section}:SuppressionThreshold must be 1 (no suppression) to 1000");
        }

        if (settings.ProjectionBatchSize is < 1_000 or > 1_000_000)
        {
            problems.Add($"{Section}:ProjectionBatchSize must be 1000 to 1000000");
        }

        return problems.Count == 0 ? settings : throw new InvalidSettingsException(string.Join("; ", problems));
    }
}

public sealed class InvalidSettingsException(string message) : Exception(message);
