using Marten;
using Wolverine.Http;

namespace ContinuityOfCare.Hosting;

public sealed record Health(string Status, bool EmbeddedDatabase);

public static class HealthEndpoint
{
    /// <summary>200 when the database answers; 503 otherwise.</summary>
    [WolverineGet("/health")]
    [Microsoft.AspNetCore.Authorization.AllowAnonymous]
    public static async Task<IResult> Get(IQuerySession session, ServiceDatabase database, CancellationToken cancellation)
    {
        try
        {
            await session.QueryAsync<int>("select 1", cancellation);
            return Results.Ok(new Health("ok", database.IsEmbedded));
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
        {
            return Results.Json(new Health("database unavailable", database.IsEmbedded), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
