using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ContinuityOfCare.Http;

/// <summary>
/// What a request asked, as a hash of its parsed form (so formatting differences do not matter): how a repeat is told
/// from a different request under the same Idempotency-Key or journey reference.
/// </summary>
public static class Fingerprint
{
    /// <summary>
    /// SHA-256, in hex, of <paramref name="scope"/> (when given) and <paramref name="value"/> as API JSON.
    /// </summary>
    public static string Of(object value, string? scope = null)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), ApiJson.Options);
        return Convert.ToHexString(
            SHA256.HashData(scope is null ? json : [.. Encoding.UTF8.GetBytes(scope), 0, .. json]));
    }
}
