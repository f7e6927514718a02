using ContinuityOfCare.Continuity;
using ContinuityOfCare.Organisations;

namespace ContinuityOfCare.Tests.Organisations;

/// <summary>The organisation directory as CSV: what the shipped file holds, and the ways an upload is
/// refused.</summary>
public sealed class OrganisationCsvTests
{
    private const string Header = "code,kind,name,region,category,holdsWomen";

    [Fact]
    public void The_shipped_directory_names_the_codes_the_samples_use()
    {
        var directory = OrganisationDirectory.Shipped;
        string[] prisons = ["LEI", "WYI", "WDI", "HLI", "DMI", "NMI", "BWI"];
        string[] authorities = ["E08000035", "E08000036", "E06000010", "E06000047", "E06000018", "W06000006"];
        string[] providers =
        [
            "FORWARD-LEEDS", "CGL", "CGL-WAKEFIELD", "RENEW-HULL", "HUMANKIND-DURHAM", "FRAMEWORK-NOTTS",
            "WCADA-WREXHAM",
        ];
        Assert.All(prisons, p => Assert.NotNull(directory.Find(OrganisationKind.Prison, p)));
        Assert.All(authorities, a => Assert.NotNull(directory.Find(OrganisationKind.LocalAuthority, a)));
        Assert.All(providers, p => Assert.NotNull(directory.Find(OrganisationKind.Provider, p)));

        Assert.Equal(
            new Organisation("LEI", OrganisationKind.Prison, "HMP Leeds", "Yorkshire and The Humber", "B", false),
            directory.Find(OrganisationKind.Prison, "LEI"));
        Assert.True(directory.Find(OrganisationKind.Prison, "NHI")!.HoldsWomen);
        Assert.Equal("Kingston upon Hull, City of", directory.NameOf(OrganisationKind.LocalAuthority, "E06000010"));
        Assert.Equal("Wales", directory.RegionOfPrison("BWI"));
    }

    [Fact]
    public void A_code_the_directory_does_not_know_is_unknown_and_a_code_of_another_kind_is_not_taken_for_it()
    {
        var directory = OrganisationDirectory.Shipped;
        Assert.Equal("unknown", directory.NameOf(OrganisationKind.Prison, "HUL"));
        Assert.Equal("unknown", directory.RegionOfPrison("HUL"));
        Assert.Equal("unknown", directory.NameOf(OrganisationKind.Prison, "FORWARD-LEEDS"));
    }

    [Fact]
    public void Names_go_beside_organisation_codes_only()
    {
        var directory = OrganisationDirectory.Shipped;
        Assert.Equal("HMP Leeds", Breakdown.Name(Dimension.Prison, "LEI", directory));
        Assert.Equal("Leeds", Breakdown.Name(Dimension.LocalAuthority, "E08000035", directory));
        Assert.Equal("Forward Leeds", Breakdown.Name(Dimension.Provider, "FORWARD-LEEDS", directory));
        Assert.Equal("unknown", Breakdown.Name(Dimension.Provider, "NOBODY", directory));
        Assert.Null(Breakdown.Name(Dimension.Provider, Breakdown.NotRecorded, directory));
        Assert.Null(Breakdown.Name(Dimension.Region, "Wales", directory));
        Assert.Null(Breakdown.Name(Dimension.Month, "2026-11", directory));
    }

    [Fact]
    public void Quoted_cells_hold_commas_quotes_and_line_breaks_and_CRLF_and_a_last_line_without_a_break_are_read()
    {
        var csv = Header + "\r\n" +
                  "E06000010,local-authority,\"Kingston upon Hull, City of\",Yorkshire and The Humber,,\r\n" +
                  "X1,provider,\"The \"\"Quoted\"\" Trust\",North East,,\r\n\r\n" +
                  "ABC,prison,HMP Somewhere,Wales,C,no";
        var (directory, errors) = OrganisationCsv.Read(csv);

        Assert.False(errors.Any, errors.Describe());
        Assert.Equal(3, directory!.Organisations.Count);
        Assert.Equal("The \"Quoted\" Trust", directory.NameOf(OrganisationKind.Provider, "X1"));
        var written = OrganisationCsv.Write(directory);
        Assert.Equal(directory.Organisations, OrganisationCsv.Read(written).Directory!.Organisations);
    }

    [Fact]
    public void The_shipped_directory_is_written_back_as_it_reads()
    {
        var written = OrganisationCsv.Write(OrganisationDirectory.Shipped);
        Assert.StartsWith(Header + "\n", written, StringComparison.Ordinal);
        var read = OrganisationCsv.Read(written).Directory!;
        Assert.Equal(OrganisationDirectory.Shipped.Organisations, read.Organisations);
    }

    [Theory]
    [InlineData("code,kind,name\nLEI,prison,HMP Leeds", "row 1")]
    [InlineData("", "row 1")]
    [InlineData(Header, "row 2")]
    [InlineData(Header + "\nLEI,prison,HMP Leeds,Yorkshire and The Humber,B", "row 2")]
    [InlineData(Header + "\nLEI,jail,HMP Leeds,Yorkshire and The Humber,B,no", "row 2, kind")]
    [InlineData(Header + "\nLE I,prison,HMP Leeds,Yorkshire and The Humber,B,no", "row 2, code")]
    [InlineData(Header + "\n,prison,HMP Leeds,Yorkshire and The Humber,B,no", "row 2, code")]
    [InlineData(Header + "\nLEI,prison,,Yorkshire and The Humber,B,no", "row 2, name")]
    [InlineData(Header + "\nLEI,prison, HMP Leeds,Yorkshire and The Humber,B,no", "row 2, name")]
    [InlineData(Header + "\nLEI,prison,HMP Leeds,,B,no", "row 2, region")]
    [InlineData(Header + "\nLEI,prison,=SUM(A1),North,B,no", "row 2, name")]
    [InlineData(Header + "\n-LEI,prison,HMP Leeds,North,B,no", "row 2, code")]
    [InlineData(Header + "\nLEI,prison,HMP Leeds,Yorkshire and The Humber,,no", "row 2, category")]
    [InlineData(Header + "\nLEI,prison,HMP Leeds,Yorkshire and The Humber,E,no", "row 2, category")]
    [InlineData(Header + "\nLEI,prison,HMP Leeds,Yorkshire and The Humber,B,", "row 2, holdsWomen")]
    [InlineData(Header + "\nLEI,prison,HMP Leeds,Yorkshire and The Humber,B,maybe", "row 2, holdsWomen")]
    [InlineData(Header + "\nE08000035,local-authority,Leeds,Yorkshire and The Humber,B,", "row 2, category")]
    [InlineData(Header + "\nE08000035,local-authority,Leeds,Yorkshire and The Humber,,no", "row 2, holdsWomen")]
    [InlineData(Header + "\nLEI,prison,HMP Leeds,North,B,no\nLEI,prison,Leeds,Wales,B,no", "row 3, code")]
    [InlineData(Header + "\nLEI,prison,\"HMP Leeds,Yorkshire and The Humber,B,no", "row 2")]
    [InlineData(Header + "\nLEI,prison,HMP \"Leeds\",Yorkshire and The Humber,B,no", "row 2")]
    [InlineData(Header + "\nLEI,prison,\"HMP\" Leeds,Yorkshire and The Humber,B,no", "row 2")]
    public void A_bad_directory_is_refused_naming_the_row_and_column(string csv, string field)
    {
        var (directory, errors) = OrganisationCsv.Read(csv);

        Assert.Null(directory);
        Assert.Contains(field, errors.ToDictionary().Keys);
    }

    [Fact]
    public void Every_bad_row_is_named_not_only_the_first_and_the_same_code_may_name_two_kinds()
    {
        var csv = Header + "\n" +
                  "LEI,prison,HMP Leeds,Yorkshire and The Humber,B,no\n" +
                  "LEI,provider,Leeds Prison Partnership,Yorkshire and The Humber,,\n" +
                  "X,provider,,North East,,\n" +
                  "Y,local-authority,Y,North East,A,\n";
        var (_, errors) = OrganisationCsv.Read(csv);

        Assert.Equal(["row 4, name", "row 5, category"], errors.ToDictionary().Keys);
    }
}
