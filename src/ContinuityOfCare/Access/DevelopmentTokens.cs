using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ContinuityOfCare.Access;

/// <summary>
/// Tokens signed with the development key, for local use and tests:
/// <c>dotnet run --project src/ContinuityOfCare -- mint-token --role prison --org LEI</c>.
/// </summary>
public static class DevelopmentTokens
{
    public static SymmetricSecurityKey Key(AccessSettings settings) =>
        new(Encoding.UTF8.GetBytes(settings.DevelopmentSigningKey!));

    public static string Mint(
        AccessSettings settings, string user, IEnumerable<string> roles, IEnumerable<string> organisations,
        IEnumerable<string>? permissions = null, TimeSpan? lifetime = null)
    {
        var claims = new List<Claim> { new(Claims.Subject, user) };
        claims.AddRange(roles.Select(r => new Claim(Claims.Role, r)));
        claims.AddRange(organisations.Select(o => new Claim(Claims.Organisation, o)));
        claims.AddRange((permissions ?? []).Select(p => new Claim(Claims.Permission, p)));
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.DevelopmentIssuer,
            Audience = settings.Audience,
            Subject = new ClaimsIdentity(claims),
            NotBefore = now.AddMinutes(-1),
            IssuedAt = now,
            Expires = now.Add(lifetime ?? TimeSpan.FromHours(8)),
            SigningCredentials = new SigningCredentials(Key(settings), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>
    /// What `mint-token` does with its options (<see cref="MintTokenCommand"/>): prints the token, or what is wrong
    /// and the usage. Answers whether it printed a token.
    /// </summary>
    public static bool Command(MintTokenInput input, AccessSettings settings, TextWriter output, TextWriter error)
    {
        var refused = input.RoleFlag.Where(r => !Roles.All.Contains(r)).Select(r => $"--role {r}").ToList();
        if (input.OrgFlag.Concat(input.PermissionFlag).Append(input.UserFlag).Any(string.IsNullOrWhiteSpace))
        {
            refused.Add("an empty value");
        }

        if (input.HoursFlag is not (> 0 and <= 24 * 30))
        {
            refused.Add($"--hours {input.HoursFlag}");
        }

        foreach (var option in refused)
        {
            error.WriteLine($"mint-token: cannot use '{option}'");
        }

        if (refused.Count > 0 || !input.RoleFlag.Any() || !input.OrgFlag.Any())
        {
            error.WriteLine(Usage);
            return false;
        }

        if (!settings.UsesDevelopmentKey)
        {
            error.WriteLine("mint-token: no Authentication__DevelopmentSigningKey is configured; " +
                "with an OpenID Connect authority, get tokens from it");
            return false;
        }

        output.WriteLine(Mint(settings, input.UserFlag, input.RoleFlag, input.OrgFlag, input.PermissionFlag,
            TimeSpan.FromHours(input.HoursFlag)));
        return true;
    }

    private static readonly string Usage =
        $"usage: mint-token --role {string.Join('|', Roles.All)} [--role …] --org CODE [--org …] [--user NAME] " +
        $"[--permission {Claims.UnsuppressedFigures}] [--hours 8]\n" +
        "  every role acts for an organisation: a prison or provider code, or the analyst's or operator's own";
}
