namespace ContinuityOfCare.Http;

/// <summary>The correlation id stored with every event: the caller's X-Correlation-Id, else this request's id.</summary>
public static class Correlation
{
    public const string Header = "X-Correlation-Id";

    public static string Of(HttpContext http)
    {
        var given = http.Request.Headers[Header].ToString();
        return given.Length is > 0 and <= 100 && !given.Any(char.IsControl) ? given : http.TraceIdentifier;
    }
}
