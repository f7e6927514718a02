using ContinuityOfCare.Continuity;

namespace ContinuityOfCare.Access;

/// <summary>
/// The "Authentication" configuration section. In production, tokens come from an OpenID Connect authority; for
/// local use and tests, from a development signing key (and the `mint-token` command). Never both.
/// </summary>
public sealed class AccessSettings
{
    public const string Section = "Authentication";

    /// <summary>The OpenID Connect authority (issuer URL) whose signing keys validate tokens.</summary>
    public string? Authority { get; set; }

    /// <summary>The audience tokens must be issued for.</summary>
    public string Audience { get; set; } = "continuity-of-care";

    /// <summary>
    /// A symmetric key (at least 32 characters) for locally minted tokens. Local use and tests only.
    /// </summary>
    public string? DevelopmentSigningKey { get; set; }

    public string DevelopmentIssuer { get; set; } = "continuity-of-care-development";

    /// <summary>The screens' client at the OpenID Connect authority (authorization code flow with PKCE).</summary>
    public string? ClientId { get; set; }

    /// <summary>
    /// The screens' client secret, when the authority gives the client one (PKCE is used either way).
    /// </summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// Requests per minute one caller (token subject and organisation, or address when anonymous) may make.
    /// </summary>
    public int RequestsPerMinute { get; set; } = 1200;

    public bool UsesDevelopmentKey => !string.IsNullOrEmpty(DevelopmentSigningKey);

    public static AccessSettings From(IConfiguration configuration)
    {
        AccessSettings settings;
        try
        {
            settings = configuration
                .GetSection(Section)
                .Get<AccessSettings>(o => o.ErrorOnUnknownConfiguration = true) ?? new AccessSettings();
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidSettingsException($"the {Section} settings cannot be read: {e.Message}");
        }

        var hasAuthority = !string.IsNullOrWhiteSpace(settings.Authority);
        if (hasAuthority == settings.UsesDevelopmentKey)
        {
            throw new InvalidSettingsException(hasAuthority
                ? $"set either {Section}__Authority or {Section}__DevelopmentSigningKey, not both"
                : $"no way to check callers: set {Section}__Authority (an OpenID Connect authority) or, for local " +
                    $"use, {Section}__DevelopmentSigningKey");
        }

        if (hasAuthority && !Uri.TryCreate(settings.Authority, UriKind.Absolute, out _))
        {
            throw new InvalidSettingsException($"{Section}__Authority must be an absolute URL");
        }

        if (settings.UsesDevelopmentKey && settings.DevelopmentSigningKey!.Length < 32)
        {
            throw new InvalidSettingsException($"{Section}__DevelopmentSigningKey must be at least 32 characters");
        }

        if (settings.UsesDevelopmentKey && !string.IsNullOrWhiteSpace(settings.ClientId))
        {
            throw new InvalidSettingsException(
                $"{Section}__ClientId is for an OpenID Connect authority; the development key signs people in itself");
        }

        if (settings.RequestsPerMinute < 1)
        {
            throw new InvalidSettingsException($"{Section}__RequestsPerMinute must be 1 or more");
        }

        return settings;
    }
}
