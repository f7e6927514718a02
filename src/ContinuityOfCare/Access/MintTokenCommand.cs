using JasperFx.CommandLine;

namespace ContinuityOfCare.Access;

/// <summary>
/// <c>mint-token --role prison --org LEI</c>: a host command beside Marten's and Wolverine's. It reads the
/// settings from the built host and starts nothing (no database, no listener), so it answers in about a second.
/// </summary>
[Description("Prints a token signed with the development key (local use and tests)", Name = "mint-token")]
public sealed class MintTokenCommand : JasperFxCommand<MintTokenInput>
{
    [InjectService]
    public AccessSettings Settings { get; set; } = null!;

    public override bool Execute(MintTokenInput input) =>
        DevelopmentTokens.Command(input, Settings, Console.Out, Console.Error);
}

public sealed class MintTokenInput
{
    // A flag given again adds to the list (JasperFx would replace it): `--role prison --role provider`.
    private readonly List<string> _roles = [];
    private readonly List<string> _organisations = [];
    private readonly List<string> _permissions = [];

    [Description("A role the token holds: prison, provider, analyst or operator (repeatable)")]
    public IEnumerable<string> RoleFlag { get => _roles; set => _roles.AddRange(value); }

    [Description("An organisation it acts for: a prison or provider code, or the analyst's or operator's own "
        + "(repeatable)")]
    public IEnumerable<string> OrgFlag { get => _organisations; set => _organisations.AddRange(value); }

    [Description($"A permission, e.g. {Claims.UnsuppressedFigures} (repeatable)")]
    public IEnumerable<string> PermissionFlag { get => _permissions; set => _permissions.AddRange(value); }

    [Description("The token's subject; your user name by default")]
    public string UserFlag { get; set; } = Environment.UserName;

    [Description("Hours until it expires, more than 0 and at most 720; 8 by default")]
    public double HoursFlag { get; set; } = 8;
}
