using Npgsql;

namespace ContinuityOfCare.Tests.Support;

/// <summary>How PostgreSQL plans a statement: its EXPLAIN, a line a row.</summary>
public static class QueryPlan
{
    public static async Task<IReadOnlyList<string>> ExplainAsync(NpgsqlCommand statement, NpgsqlConnection connection)
    {
        statement.CommandText = "EXPLAIN " + statement.CommandText;
        statement.Connection = connection;
        var plan = new List<string>();
        await using var reader = await statement.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(0));
        }

        return plan;
    }
}
