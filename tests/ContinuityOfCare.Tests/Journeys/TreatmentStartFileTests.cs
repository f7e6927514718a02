using ContinuityOfCare.Journeys.TreatmentStart;
using NodaTime;

namespace ContinuityOfCare.Tests.Journeys;

/// <summary>A file of treatment starts, read and checked without the database: its own rules and its rows'.</summary>
public sealed class TreatmentStartFileTests
{
    private static readonly LocalDate Today = new(2026, 11, 23);

    private const string Id = "0192f0c1-7d3a-7c4e-9a51-2f8b6c1d0e4a";

    private static IReadOnlyList<TreatmentStartRow> Rows(string csv)
    {
        var (rows, errors) = TreatmentStartFile.Read(csv, Today);
        Assert.False(errors.Any, errors.Describe());
        return rows;
    }

    private static string FileErrors(string csv)
    {
        var (rows, errors) = TreatmentStartFile.Read(csv, Today);
        Assert.Empty(rows);
        return errors.Describe();
    }

    private static IReadOnlyDictionary<string, string[]> RowErrors(string csv) =>
        Assert.Single(Rows(csv)).Errors ?? throw new Xunit.Sdk.XunitException("expected the row to be refused");

    [Fact]
    public void Rows_name_a_journey_by_id_or_by_reference_at_a_prison_in_columns_of_any_order()
    {
        var rows = Rows(
            "startedOn,journeyReference,journeyId,prisonCode\n" +
            $"2026-11-20,,{Id},\n" +
            "2026-11-21,LEI-000001,,LEI\n");

        Assert.Equal(
            new TreatmentStartRow(2, Id, "", "", "2026-11-20", Guid.Parse(Id), new LocalDate(2026, 11, 20), null),
            rows[0]);
        Assert.Equal(
            new TreatmentStartRow(3, "", "LEI-000001", "LEI", "2026-11-21", null, new LocalDate(2026, 11, 21), null),
            rows[1]);
        Assert.Equal([TreatmentStartFile.JourneyId, TreatmentStartFile.Reference], rows.Select(r => r.KeyColumn));
    }

    [Fact]
    public void A_file_of_ids_alone_or_of_references_alone_is_enough()
    {
        Assert.True(Assert.Single(Rows($"journeyId,startedOn\n{Id},2026-11-20")).IsValid);
        Assert.True(Assert.Single(Rows("journeyReference,prisonCode,startedOn\nLEI-1,LEI,2026-11-20")).IsValid);
    }

    [Fact]
    public void CRLF_quoted_cells_and_blank_lines_are_read_and_blank_lines_are_not_rows()
    {
        var rows = Rows(
            "journeyReference,prisonCode,startedOn\r\n\r\n" +
            "\"LEI, wing B \"\"7\"\"\",LEI,2026-11-20\r\n" +
            "\r\n" +
            "LEI-2,LEI,2026-11-21");

        Assert.Equal(["LEI, wing B \"7\"", "LEI-2"], rows.Select(r => r.JourneyReference));
        Assert.Equal([2, 3], rows.Select(r => r.Row));
        Assert.All(rows, r => Assert.True(r.IsValid));
    }

    [Fact]
    public void Dates_are_read_as_the_API_writes_them_or_day_first_as_UK_spreadsheets_do_never_month_first()
    {
        Assert.Equal(new LocalDate(2026, 11, 20), TreatmentStartFile.Date("2026-11-20"));
        Assert.Equal(new LocalDate(2026, 11, 2), TreatmentStartFile.Date("02/11/2026"));
        Assert.Equal(new LocalDate(2026, 11, 2), TreatmentStartFile.Date("2/11/2026"));
        Assert.Null(TreatmentStartFile.Date("11/20/2026"));
        Assert.Null(TreatmentStartFile.Date("2026-02-30"));
        Assert.Null(TreatmentStartFile.Date("20 Nov 2026"));
        Assert.Null(TreatmentStartFile.Date(" 2026-11-20"));
        Assert.Null(TreatmentStartFile.Date(""));
        Assert.Null(TreatmentStartFile.Date(null));
    }

    [Theory]
    [InlineData("11/20/2026", TreatmentStartFile.NotADate)]
    [InlineData("2026-13-01", TreatmentStartFile.NotADate)]
    [InlineData("", "is required")]
    public void A_date_that_does_not_read_is_refused_naming_startedOn(string date, string message) =>
        Assert.Equal([message], RowErrors($"journeyId,startedOn\n{Id},{date}")["startedOn"]);

    [Theory]
    [InlineData("2026-11-24")]
    [InlineData("1999-12-31")]
    [InlineData("2026-11-23")]
    [InlineData("2000-01-01")]
    public void A_date_is_checked_by_the_single_request_s_own_rule_in_its_words(string date)
    {
        var expected = new RecordTreatmentStartRequest(LocalDate.FromDateTime(DateTime.Parse(date)))
            .Errors(Today).ToDictionary();
        var row = Assert.Single(Rows($"journeyId,startedOn\n{Id},{date}"));

        Assert.Equal(expected.Count == 0, row.IsValid);
        if (!row.IsValid)
        {
            Assert.Equal(expected["startedOn"], row.Errors!["startedOn"]);
        }
    }

    [Fact]
    public void A_future_date_is_refused_as_the_API_refuses_it() =>
        Assert.Equal(
            ["is after today (2026-11-23 in Europe/London): record what has happened"],
            RowErrors($"journeyId,startedOn\n{Id},24/11/2026")["startedOn"]);

    [Theory]
    [InlineData("not-a-uuid")]
    [InlineData("0192f0c17d3a7c4e9a512f8b6c1d0e4a")]
    [InlineData("{0192f0c1-7d3a-7c4e-9a51-2f8b6c1d0e4a}")]
    public void A_journey_id_must_be_a_UUID_as_the_API_writes_it(string id) =>
        Assert.StartsWith(
            "must be a journey id", Assert.Single(RowErrors($"journeyId,startedOn\n{id},2026-11-20")["journeyId"]));

    [Fact]
    public void A_row_names_its_journey_one_way_only()
    {
        const string header = "journeyId,journeyReference,prisonCode,startedOn\n";
        Assert.Equal(
            ["give journeyId, or journeyReference with prisonCode, not both"],
            RowErrors(header + $"{Id},LEI-1,LEI,2026-11-20")["journeyId"]);
        Assert.Equal(
            ["is required (or journeyReference with prisonCode)"], RowErrors(header + ",,,2026-11-20")["journeyId"]);
        Assert.Equal(["is required"], RowErrors("journeyId,startedOn\n,2026-11-20")["journeyId"]);
    }

    [Fact]
    public void A_reference_and_a_prison_code_are_checked_as_the_API_checks_them()
    {
        const string header = "journeyReference,prisonCode,startedOn\n";
        var errors = RowErrors(header + "LEI-1,,2026-11-20");
        Assert.Equal(["is required"], errors["prisonCode"]);
        Assert.False(errors.ContainsKey("journeyReference"));

        errors = RowErrors(header + ",LEI,2026-11-20");
        Assert.Equal(["is required"], errors["journeyReference"]);

        errors = RowErrors(header + "\" LEI-1\",LE I,2026-11-20");
        Assert.Equal(
            ["must not contain control characters or leading or trailing spaces"], errors["journeyReference"]);
        Assert.Equal(["must be 1 to 32 letters, digits, '-' or '_'"], errors["prisonCode"]);

        errors = RowErrors(header + new string('R', 101) + ",LEI,2026-11-20");
        Assert.Equal(["must be at most 100 characters"], errors["journeyReference"]);
    }

    [Fact]
    public void A_row_with_more_or_fewer_cells_than_the_header_is_refused_with_every_other_problem_it_has()
    {
        var errors = RowErrors($"journeyId,startedOn\n{Id},2026-11-20,");
        Assert.Equal(["has 3 cells; the header has 2"], errors["row"]);

        errors = RowErrors($"journeyId,startedOn\n{Id}");
        Assert.Equal(["has 1 cells; the header has 2"], errors["row"]);
        Assert.Equal(["is required"], errors["startedOn"]);
    }

    [Fact]
    public void Every_refused_row_is_answered_and_the_good_ones_are_still_read()
    {
        var rows = Rows($"journeyId,startedOn\nnope,2026-11-20\n{Id},2026-11-20\n{Id},tomorrow");
        Assert.Equal([false, true, false], rows.Select(r => r.IsValid));
        Assert.Equal([2, 3, 4], rows.Select(r => r.Row));
    }

    [Theory]
    [InlineData("", "body: is empty: a header row is required (journeyId,journeyReference,prisonCode,startedOn)")]
    [
        InlineData(
            "\n\r\n", "body: is empty: a header row is required (journeyId,journeyReference,prisonCode,startedOn)")]
    [InlineData("journeyId,startedOn", "body: has no rows after the header")]
    [InlineData("journeyId,startedOn\n\n", "body: has no rows after the header")]
    [InlineData("journeyId,startedOn,notes\nx,y,z",
        "row 1: 'notes' is not a column; the columns are journeyId, journeyReference, prisonCode, startedOn")]
    [InlineData("journeyId,startedOn,startedOn\nx,y,z", "row 1: 'startedOn' is a column twice")]
    [InlineData("journeyId\nx", "row 1: the startedOn column is required")]
    [InlineData("startedOn\nx",
        "row 1: a journeyId column, or journeyReference and prisonCode columns, are required")]
    [InlineData("journeyId,journeyReference,startedOn\nx,y,z",
        "row 1: journeyReference and prisonCode go together: a reference is unique within its prison")]
    [InlineData("journeyId,startedOn\n\"x,2026-11-20", "row 2: has a quoted cell that is never closed")]
    [InlineData("journeyId,startedOn\nx\"y,2026-11-20",
        "row 2: has a quote mark inside a cell that is not quoted as a whole")]
    public void A_file_that_cannot_be_read_as_a_whole_is_refused_naming_the_body_or_the_header(
        string csv, string expected) =>
        Assert.Equal(expected, FileErrors(csv));

    [Fact]
    public void A_file_may_hold_at_most_the_row_limit()
    {
        var rows = string.Concat(Enumerable.Repeat($"{Id},2026-11-20\n", TreatmentStartFile.MaxRows));
        Assert.Equal(TreatmentStartFile.MaxRows, Rows("journeyId,startedOn\n" + rows).Count);
        Assert.Equal(
            $"body: has {TreatmentStartFile.MaxRows + 1} rows; at most {TreatmentStartFile.MaxRows} a file",
            FileErrors("journeyId,startedOn\n" + rows + $"{Id},2026-11-20\n"));
    }

    [Fact]
    public void A_journey_named_again_points_to_the_row_that_named_it_first()
    {
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        var repeats = TreatmentStartFile.Repeats([(2, a), (3, null), (4, b), (5, a), (6, null), (7, a), (8, b)]);

        Assert.Equal(new Dictionary<int, int> { [5] = 2, [7] = 2, [8] = 4 }, repeats);
        Assert.Empty(TreatmentStartFile.Repeats([]));
        Assert.Empty(TreatmentStartFile.Repeats([(2, null), (3, null)]));
    }
}
