using System.Text;
using ContinuityOfCare.Http;
using ContinuityOfCare.Journeys.Lapse;
using Marten;
using NodaTime;
using Npgsql;
using NpgsqlTypes;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace ContinuityOfCare.Continuity.Cells;

/// <summary>
/// The cohort cells in PostgreSQL: one row per release date, dimension and group with a column per
/// <see cref="CellCount"/>, and one row saying which rules they were counted with. Plain tables rather than Marten
/// documents, so a batch adds to its cells in one statement and a table is summed by the database.
/// </summary>
public static class CohortCellStore
{
    public const string CellsTable = "coc_cohort_cells";

    public const string RulesTable = "coc_cohort_cells_rules";

    /// <summary>The cells' changes, per London date they were recorded on: what tables as of a date sum.</summary>
    public const string ChangesTable = "coc_cohort_changes";

    /// <summary>Per cell, how many engaged or late journeys were picked up on each day after release.</summary>
    public const string PickupsTable = "coc_cohort_pickups";

    /// <summary>A column per count, in <see cref="CellCount"/> order (one per lapse reason at the end).</summary>
    public static IReadOnlyList<string> Columns { get; } = Enumerable.Range(0, CohortCells.Width)
        .Select(i => i < (int)CellCount.UnpickedFirstReason
            ? Snake(((CellCount)i).ToString())
            : "unpicked_" + Snake(((LapseReason)(i - (int)CellCount.UnpickedFirstReason)).ToString()))
        .ToList();

    public static void AddTables(StoreOptions opts)
    {
        var cells = new Table(Name(opts, CellsTable));
        cells.AddColumn("dimension", "text").AsPrimaryKey();
        cells.AddColumn("released_on", "date").AsPrimaryKey();
        cells.AddColumn("grp", "text").AsPrimaryKey();
        foreach (var column in Columns)
        {
            cells.AddColumn(column, "integer").NotNull().DefaultValue(0);
        }

        var changes = new Table(Name(opts, ChangesTable));
        changes.AddColumn("dimension", "text").AsPrimaryKey();
        changes.AddColumn("released_on", "date").AsPrimaryKey();
        changes.AddColumn("grp", "text").AsPrimaryKey();
        changes.AddColumn("recorded_on", "date").AsPrimaryKey();
        foreach (var column in Columns)
        {
            changes.AddColumn(column, "integer").NotNull().DefaultValue(0);
        }

        opts.Storage.ExtendedSchemaObjects.Add(changes);

        var pickups = new Table(Name(opts, PickupsTable));
        pickups.AddColumn("dimension", "text").AsPrimaryKey();
        pickups.AddColumn("released_on", "date").AsPrimaryKey();
        pickups.AddColumn("grp", "text").AsPrimaryKey();
        pickups.AddColumn("day", "integer").AsPrimaryKey();
        pickups.AddColumn("journeys", "integer").NotNull().DefaultValue(0);
        opts.Storage.ExtendedSchemaObjects.Add(pickups);

        var rules = new Table(Name(opts, RulesTable));
        rules.AddColumn("id", "integer").AsPrimaryKey();
        rules.AddColumn("rules", "text").NotNull();
        rules.AddColumn("mixed", "boolean").NotNull();
        opts.Storage.ExtendedSchemaObjects.Add(cells);
        opts.Storage.ExtendedSchemaObjects.Add(rules);
    }

    private static PostgresqlObjectName Name(StoreOptions opts, string table) =>
        new(opts.DatabaseSchemaName, table, SchemaUtils.IdentifierUsage.General);

    public static string Qualified(StoreOptions opts, string table) => $"{opts.DatabaseSchemaName}.{table}";

    /// <summary>What the cells were counted with: they answer a table only when it is today's rules.</summary>
    public static string Fingerprint(ContinuityRules rules) =>
        $"cells={Version};window={rules.Window.Days};retention={rules.RetentionDays};died={rules.Exclusions.Died};" +
        $"deported={rules.Exclusions.Deported};returned={rules.Exclusions.ReturnedToCustody}";

    /// <summary>
    /// What the cells hold and how a journey counts in them. Raise it with any change to the tables, their columns,
    /// the stored breakdowns or <see cref="CohortCells.Contribution"/>: cells counted by other code then say a
    /// rebuild is needed, as cells counted with other rules do.
    /// </summary>
    public const int Version = 3;

    /// <summary>
    /// Adds a batch's changes to the cells, in the daemon's transaction, and records the rules they were counted
    /// with. Cells counted with other rules, or begun after the cohort rows (an upgrade), are marked mixed, and
    /// tables are computed per journey until the projection is rebuilt.
    /// </summary>
    public static async Task QueueAsync(
        IDocumentOperations operations, CellDeltas deltas, ContinuityRules rules, CancellationToken cancellation)
    {
        var opts = (StoreOptions)operations.DocumentStore.Options;
        var fingerprint = Fingerprint(rules);
        var rulesTable = Qualified(opts, RulesTable);
        var recorded = await operations.AdvancedSql.QueryAsync<string>(
            $"select rules from {rulesTable} where id = 1", cancellation);
        if (recorded.Count == 0)
        {
            var rowsBefore = await operations.Query<ReleaseCohortEntry>().AnyAsync(cancellation);
            operations.QueueSqlCommand(
                $"insert into {rulesTable} (id, rules, mixed) values (1, ?, ?) on conflict (id) do nothing",
                fingerprint, rowsBefore);
        }
        else if (recorded[0] != fingerprint)
        {
            operations.QueueSqlCommand($"update {rulesTable} set mixed = true where id = 1");
        }

        var pickups = deltas.Pickups.Where(p => p.Value != 0).ToList();
        if (pickups.Count > 0)
        {
            var table = Qualified(opts, PickupsTable);
            object[] keys =
            [
                pickups.Select(p => p.Key.Cell.Dimension).ToArray(),
                pickups.Select(p => p.Key.Cell.ReleasedOn.ToDateOnly()).ToArray(),
                pickups.Select(p => p.Key.Cell.Group).ToArray(),
                pickups.Select(p => p.Key.Day).ToArray(),
            ];
            operations.QueueSqlCommand(
                $"insert into {table} as p (dimension, released_on, grp, day, journeys) " +
                "select * from unnest(?::text[], ?::date[], ?::text[], ?::integer[], ?::integer[]) " +
                "on conflict (dimension, released_on, grp, day) " +
                "do update set journeys = p.journeys + excluded.journeys",
                [.. keys, pickups.Select(p => p.Value).ToArray()]);
            QueueEmptiedRemoval(operations, table, PickupKeys, ["journeys"], keys);
        }

        QueueCounts(
            operations, Qualified(opts, CellsTable), null,
            deltas.Today().Select(d => (d.Cell, (LocalDate?)null, d.Counts)));
        QueueCounts(
            operations, Qualified(opts, ChangesTable), "recorded_on",
            deltas.Recorded.Select(d => (d.Key.Cell, (LocalDate?)d.Key.RecordedOn, d.Value)));
    }

    /// <summary>
    /// Adds counts to a table of cells in one statement (keyed also by recording date, if given), and removes the
    /// rows left counting nothing in another.
    /// </summary>
    private static void QueueCounts(
        IDocumentOperations operations, string table, string? dateKey,
        IEnumerable<(CellKey Cell, LocalDate? Date, int[] Counts)> deltas)
    {
        var changed = deltas.Where(d => d.Counts.Any(v => v != 0)).ToList();
        if (changed.Count == 0)
        {
            return;
        }

        var keyColumns = dateKey is null ? CellKeys : [.. CellKeys, (dateKey, "date")];
        var keys = string.Join(", ", keyColumns.Select(k => k.Name));
        var sql = new StringBuilder()
            .Append($"insert into {table} as c ({keys}, ")
            .AppendJoin(", ", Columns)
            .Append(") select * from unnest(")
            .AppendJoin(", ", keyColumns.Select(k => $"?::{k.Type}[]").Concat(Columns.Select(_ => "?::integer[]")))
            .Append($") on conflict ({keys}) do update set ")
            .AppendJoin(", ", Columns.Select(c => $"{c} = c.{c} + excluded.{c}"));
        var parameters = new List<object>
        {
            changed.Select(d => d.Cell.Dimension).ToArray(),
            changed.Select(d => d.Cell.ReleasedOn.ToDateOnly()).ToArray(),
            changed.Select(d => d.Cell.Group).ToArray(),
        };
        if (dateKey is not null)
        {
            parameters.Add(changed.Select(d => d.Date!.Value.ToDateOnly()).ToArray());
        }

        for (var i = 0; i < Columns.Count; i++)
        {
            var column = i;
            parameters.Add(changed.Select(d => d.Counts[column]).ToArray());
        }

        operations.QueueSqlCommand(sql.ToString(), parameters.ToArray());

        QueueEmptiedRemoval(operations, table, keyColumns, Columns, parameters.Take(keyColumns.Length).ToArray());
    }

    private static readonly (string Name, string Type)[] CellKeys =
        [("dimension", "text"), ("released_on", "date"), ("grp", "text")];

    private static readonly (string Name, string Type)[] PickupKeys = [.. CellKeys, ("day", "integer")];

    /// <summary>
    /// Deletes the rows of <paramref name="keys"/> (one array per key column) left counting nothing: a journey moved
    /// to another cell (a corrected date, a transfer, a redirect) may empty one, which then goes as if never
    /// written. Every changed row is looked at: a day's changes may be negative, and so may cells counted before a
    /// rebuild.
    /// </summary>
    private static void QueueEmptiedRemoval(
        IDocumentOperations operations, string table, (string Name, string Type)[] keyColumns,
        IEnumerable<string> counts, object[] keys)
    {
        var types = string.Join(", ", keyColumns.Select(k => $"?::{k.Type}[]"));
        var names = string.Join(", ", keyColumns.Select(k => k.Name));
        var emptied = keyColumns.Select(k => $"c.{k.Name} = k.{k.Name}").Concat(counts.Select(c => $"c.{c} = 0"));
        operations.QueueSqlCommand(
            $"delete from {table} c using unnest({types}) k ({names}) where {string.Join(" and ", emptied)}", keys);
    }

    /// <summary>Empties the cells as a rebuild's teardown does (for tests that reset the store).</summary>
    public static async Task ClearAsync(IDocumentStore store)
    {
        var opts = (StoreOptions)store.Options;
        await using var session = store.LightweightSession();
        session.QueueSqlCommand(
            $"truncate {Qualified(opts, CellsTable)}, {Qualified(opts, ChangesTable)}, " +
            $"{Qualified(opts, PickupsTable)}, {Qualified(opts, RulesTable)}");
        await session.SaveChangesAsync();
    }

    /// <summary>True when the cells were counted from the start with <paramref name="rules"/>.</summary>
    public static async Task<bool> AnswerForAsync(
        IQuerySession session, ContinuityRules rules, CancellationToken cancellation)
    {
        var opts = (StoreOptions)session.DocumentStore.Options;
        var rows = await session.AdvancedSql.QueryAsync<string>(
            $"select rules from {Qualified(opts, RulesTable)} where id = 1 and not mixed", cancellation);
        return rows.Count == 0
            ? !await session.Query<ReleaseCohortEntry>().AnyAsync(cancellation)
            : rows[0] == Fingerprint(rules);
    }

    /// <summary>
    /// One dimension's cells for releases in [from, to], summed per group (<paramref name="byGroup"/>) and release
    /// date or month (<paramref name="grain"/>) when asked: the counts per phase on <paramref name="today"/> (as
    /// recorded by its end, when <paramref name="asRecordedBy"/>), and with <paramref name="withPickups"/> the pickups
    /// by day and the unpicked journeys in open windows by release date. One statement, so every part is read from
    /// the same moment of the projection.
    /// </summary>
    public static async Task<CellReading> SumAsync(
        IQuerySession session, string dimension, bool byGroup, DateGrain? grain, LocalDate from, LocalDate to,
        LocalDate today, ContinuityRules rules, bool asRecordedBy, bool withPickups, CancellationToken cancellation)
    {
        var opts = (StoreOptions)session.DocumentStore.Options;
        var (openFrom, horizonPassedBefore) = CellPhase.Bounds(today, rules);
        var group = byGroup ? "grp" : "''";
        var range = " where dimension = @dimension and released_on between @from and @to";
        var sql = new StringBuilder($"select 0, {group}, {DateColumn(grain)}, released_on >= @open, ")
            .Append("released_on < @horizon, null::integer, ")
            .AppendJoin(", ", Columns.Select(c => $"sum({c})::integer"))
            .Append($" from {Qualified(opts, asRecordedBy ? ChangesTable : CellsTable)}{range}")
            .Append(asRecordedBy ? " and recorded_on <= @recorded" : "")
            .Append(" group by 2, 3, 4, 5");
        var padding = string.Concat(Enumerable.Repeat(", null::integer", Columns.Count - 1));
        if (withPickups)
        {
            var unpicked = string.Join(" + ", Columns.Skip((int)CellCount.UnpickedNoReason));
            sql.Append($" union all select 1, {group}, {DateColumn(grain)}, null::boolean, null::boolean, day, ")
                .Append($"sum(journeys)::integer{padding} from {Qualified(opts, PickupsTable)}{range}")
                .Append(" group by 2, 3, 6")
                .Append($" union all select 2, {group}, released_on, null::boolean, null::boolean, null::integer, ")
                .Append($"sum({unpicked})::integer{padding} from {Qualified(opts, CellsTable)}{range}")
                .Append(" and released_on >= @open group by 2, 3");
        }

        await using var command = Command(sql.ToString(), dimension, from, to);
        command.Parameters.Add(new NpgsqlParameter("open", NpgsqlDbType.Date) { Value = openFrom.ToDateOnly() });
        command.Parameters.Add(new NpgsqlParameter("horizon", NpgsqlDbType.Date)
        {
            Value = horizonPassedBefore.ToDateOnly(),
        });
        command.Parameters.Add(new NpgsqlParameter("recorded", NpgsqlDbType.Date) { Value = today.ToDateOnly() });

        var reading = new CellReading([], [], []);
        await using var reader = await session.ExecuteReaderAsync(command, cancellation);
        while (await reader.ReadAsync(cancellation))
        {
            var (kind, cell, on) = (reader.GetInt32(0), reader.GetString(1), DateOrNull(reader, 2));
            if (kind == 0)
            {
                var counts = new int[CohortCells.Width];
                for (var i = 0; i < counts.Length; i++)
                {
                    counts[i] = reader.GetInt32(6 + i);
                }

                if (counts[(int)CellCount.Released] > 0)
                {
                    reading.Counts.Add(
                        new CellSum(cell, on, new CellPhase(reader.GetBoolean(3), reader.GetBoolean(4)), counts));
                }
            }
            else if (reader.GetInt32(6) is var journeys and not 0)
            {
                if (kind == 1)
                {
                    reading.Pickups.Add(new PickupSum(cell, on, reader.GetInt32(5), journeys));
                }
                else
                {
                    reading.Waiting.Add(new WaitingSum(cell, on!.Value, journeys));
                }
            }
        }

        return reading;
    }

    private static string DateColumn(DateGrain? grain) => grain switch
    {
        DateGrain.Day => "released_on",
        DateGrain.Month => "date_trunc('month', released_on)::date",
        _ => "null::date",
    };

    private static LocalDate? DateOrNull(System.Data.Common.DbDataReader reader, int column) =>
        reader.IsDBNull(column) ? null : LocalDate.FromDateOnly(reader.GetFieldValue<DateOnly>(column));

    private static NpgsqlCommand Command(string sql, string dimension, LocalDate from, LocalDate to)
    {
        var command = new NpgsqlCommand(sql);
        command.Parameters.Add(new NpgsqlParameter("dimension", NpgsqlDbType.Text) { Value = dimension });
        command.Parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.Date) { Value = from.ToDateOnly() });
        command.Parameters.Add(new NpgsqlParameter("to", NpgsqlDbType.Date) { Value = to.ToDateOnly() });
        return command;
    }

    private static string Snake(string name) => ApiJson.Code(name).Replace('-', '_');
}

/// <summary>What one statement read from the cells (see <see cref="CohortCellStore.SumAsync"/>).</summary>
public sealed record CellReading(List<CellSum> Counts, List<PickupSum> Pickups, List<WaitingSum> Waiting);

/// <summary>Summed pickups: of one group and date or month (when asked), on one day after release.</summary>
public sealed record PickupSum(string Group, LocalDate? On, int Day, int Journeys);

/// <summary>Unpicked journeys whose window is still open, of one group, released on one date.</summary>
public sealed record WaitingSum(string Group, LocalDate On, int Journeys);

/// <summary>How finely the cells' release dates are told apart in a sum: by date, or by month.</summary>
public enum DateGrain
{
    Day,
    Month,
}

/// <summary>Summed cells: of one group and date or month (when asked), in one phase.</summary>
public sealed record CellSum(string Group, LocalDate? On, CellPhase Phase, int[] Counts);
