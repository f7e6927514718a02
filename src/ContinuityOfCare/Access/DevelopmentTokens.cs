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
    public static SymmetricSecurityKey Key(AccessSettings settings) => new(Encoding.UTF8.GetBytes(settings.DevelopmentSigningKey!));

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
    /// The `mint-token` command: <c>--role R</c> and <c>--org O</c> (each repeatable), <c>--user U</c>,
    /// <c>--permission P</c>, <c>--hours H</c>. Prints the token; answers the exit code.
    /// </summary>
    public static int Command(string[] args, AccessSettings settings, TextWriter output, TextWriter error)
    {
        var roles = new List<string>();
        var organisations = new List<string>();
        var permissions = new List<string>();
        var user = Environment.UserName;
        var hours = 8.0;
        for (var i = 1; i < args.Length; i += 2)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--role" when value is not null && Roles.All.Contains(value): roles.Add(value); break;
                case "--org" when !string.IsNullOrWhiteSpace(value): organisations.Add(value); break;
                case "--permission" when !string.IsNullOrWhiteSpace(value): permissions.Add(value); break;
                case "--user" when !string.IsNullOrWhiteSpace(value): user = value; break;
                case "--hours" when double.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out hours) && hours is > 0 and <= 24 * 30: break;
                default:
                    error.WriteLine($"mint-token: cannot use '{args[i]} {value}'");
                    return Usage(error);
            }
        }

        if (roles.Count == 0 || organisations.Count == 0)
        {
            return Usage(error);
        }

        if (!settings.UsesDevelopmentKey)
        {
            error.WriteLine("mint-token: no Authentication__DevelopmentSigningKey is configured; with an OpenID Connect authority, get tokens from it");
            return 1;
        }

        output.WriteLine(Mint(settings, user, roles, organisations, permissions, TimeSpan.FromHours(hours)));
        return 0;
    }

    private static int Usage(TextWriter error)
    {
        error.WriteLine(
            $"usage: mint-token --role {string.Join('|', Roles.All)} [--role …] --org CODE [--org …] [--user NAME] [--permission {Claims.UnsuppressedFigures}] [--hours 8]\n" +
            "  every role acts for an organisation: a prison or provider code, or the analyst's or operator's own");
        return 2;
    }
}
