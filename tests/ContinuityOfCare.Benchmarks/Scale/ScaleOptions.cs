using System.Globalization;

namespace ContinuityOfCare.Benchmarks.Scale;

/// <summary>The `scale` command's options: a handful of flags, read by hand (a parser would be more code).</summary>
public sealed record ScaleOptions(
    int Journeys, string? Connection, int Seed, int Requests, bool NoSync, int Batch, int Parallel,
    int IngestJourneys, int Clients, int IngestWarmUp, int CatchUpRounds)
{
    public const string Usage = """
        dotnet run -c Release --project tests/ContinuityOfCare.Benchmarks -- scale --journeys N [options]
          --journeys N        journeys to bulk-load (required)
          --connection CS     an empty PostgreSQL database to use; default: a throwaway cluster in the temp folder
          --no-sync           the throwaway cluster runs with fsync off (default: on, as in production)
          --seed S            the generator's seed (default 1)
          --requests R        timed sequential requests per query and worklist (default 200)
          --batch B           journeys per Marten transaction when loading (default 500)
          --parallel P        loading sessions at a time (default 4)
          --ingest K          journeys measured each way in the ingest comparison, 3 events each (at least 2;
                              default 2000)
          --ingest-warmup W   journeys each way before measuring, in rounds of 1000 (0 to 1000000;
                              default 4000)
          --clients C         concurrent clients for the ingest comparison (default 16)
          --catch-up-rounds R catch up again from nothing R - 1 times, in the same process (1 to 10;
                              default 1)
        """;

    public static ScaleOptions? Parse(string[] args)
    {
        var options = new ScaleOptions(0, null, 1, 200, false, 500, 4, 2000, 16, 4000, 1);
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : "";
            int Number(int least = 1) =>
                int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= least
                    ? n
                    : -1;
            options = args[i] switch
            {
                "--journeys" => options with { Journeys = Number() },
                "--connection" => options with { Connection = Next() },
                "--no-sync" => options with { NoSync = true },
                "--seed" => options with { Seed = Number() },
                "--requests" => options with { Requests = Number() },
                "--batch" => options with { Batch = Number() },
                "--parallel" => options with { Parallel = Number() },
                "--ingest" => options with { IngestJourneys = Number(least: 2) },
                "--clients" => options with { Clients = Number() },
                "--ingest-warmup" => options with { IngestWarmUp = Number(least: 0) },
                "--catch-up-rounds" => options with { CatchUpRounds = Number() },
                _ => options with { Journeys = -1 },
            };
        }

        if (new[] { options.Journeys, options.Seed, options.Requests, options.Batch, options.Parallel,
                options.IngestJourneys, options.Clients }.Any(n => n <= 0)
            || options.IngestWarmUp is < 0 or > 1_000_000
            || options.CatchUpRounds is < 1 or > 10
            || options.Connection is "")
        {
            Console.Error.WriteLine(Usage);
            return null;
        }

        return options;
    }
}
