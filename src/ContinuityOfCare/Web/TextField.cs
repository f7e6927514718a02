namespace ContinuityOfCare.Web;

/// <summary>A GOV.UK text input with its label, hint and error message (rendered by Web/_TextField.cshtml).</summary>
public sealed record TextField(string Id, string Name, string Label, string Hint, string? Value, string? Error);

/// <summary>
/// GOV.UK radios for an enum's values, labelled in words (rendered by Web/_Radios.cshtml); the first radio has the
/// group's id, so the error summary's link lands on it.
/// </summary>
public sealed record Radios(string Id, string Name, string Legend, Enum[] Options, string? Value, string? Error)
{
    public static Radios For<T>(string id, string name, string legend, string? value, string? error)
        where T : struct, Enum => new(id, name, legend, [.. Enum.GetValues<T>().Cast<Enum>()], value, error);

    /// <summary>The chosen value, or null for none (or one that is not an option).</summary>
    public static T? Chosen<T>(string? value) where T : struct, Enum =>
        Enum.GetNames<T>().Contains(value) ? Enum.Parse<T>(value!) : null;
}
