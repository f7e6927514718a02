using System.Net;
using System.Text;
using ContinuityOfCare.Tests.Support;
using Microsoft.Playwright;
using NodaTime;

namespace ContinuityOfCare.Tests.Screens;

/// <summary>
/// A provider uploads a spreadsheet of treatment starts in a real browser: the file's problems on the file input,
/// a check of what each row would become (nothing recorded yet), then the record and what each row became.
/// </summary>
[Collection(ScreensCollection.Name)]
public sealed class ImportScreenTests(PostgresCluster postgres, Browser browser)
    : ScreenTests(postgres, browser)
{
    private static readonly LocalDate ReleasedOn = new(2026, 11, 10);

    private static FilePayload File(string csv) =>
        new() { Name = "starts.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) };

    [Fact]
    public async Task A_provider_checks_a_file_then_records_it_and_sees_what_each_row_became()
    {
        var byReference = await Api.OpenAsync(JourneyApi.Registration("LEI-2026-0601", personRef: "P-6A1B"));
        Assert.Equal(
            HttpStatusCode.OK, (await Api.ReleaseAsync(byReference, JourneyApi.Release(ReleasedOn))).StatusCode);
        var byId = await Api.OpenAsync(JourneyApi.Registration("LEI-2026-0602", personRef: "P-6C2D"));
        Assert.Equal(HttpStatusCode.OK, (await Api.ReleaseAsync(byId, JourneyApi.Release(ReleasedOn))).StatusCode);

        var page = await Browser.SignedInAsync(Service.Address, "provider", "FORWARD-LEEDS", "/handovers");
        await page.ClickAsync("#import-treatment-starts");
        await Browser.WaitForAddressAsync(page, "**/handovers/FORWARD-LEEDS/import");
        await Browser.AssertAccessibleAsync(page);

        // No file: the GOV.UK error on the file input.
        await Browser.SubmitAsync(page, "Check the file");
        Assert.Equal(
            ["The file is required: choose a CSV file"],
            await page.Locator(".govuk-error-summary__list a").AllInnerTextsAsync());
        Assert.Equal("#file", await page.GetAttributeAsync(".govuk-error-summary__list a", "href"));

        // A file that cannot be read as a whole: the API's 400 message, on the file input.
        await page.SetInputFilesAsync("#file", File("journeyRef,startedOn\nLEI-2026-0601,2026-11-12\n"));
        await Browser.SubmitAsync(page, "Check the file");
        Assert.StartsWith(
            "The file has a problem on row 1: 'journeyRef' is not a column",
            (await page.InnerTextAsync(".govuk-error-summary__list a")).Trim(), StringComparison.Ordinal);
        await Browser.AssertAccessibleAsync(page);
        await Browser.ScreenshotAsync(page, "import-file-error");

        var file = "journeyId,journeyReference,prisonCode,startedOn\r\n" +
                   ",LEI-2026-0601,LEI,12/11/2026\r\n" +
                   $"{byId},,,2026-11-13\r\n" +
                   ",LEI-2026-0699,LEI,2026-11-12\r\n";
        await page.SetInputFilesAsync("#file", File(file));
        await Browser.SubmitAsync(page, "Check the file");

        Assert.Equal("Check the treatment starts before recording them", (await page.InnerTextAsync("h1")).Trim());
        Assert.Equal(["2", "3"], await Rows(page, "recorded"));
        Assert.Equal(["4"], await Rows(page, "refused"));
        Assert.Contains(
            "journeyReference: no journey LEI-2026-0699 at LEI is handed over to FORWARD-LEEDS",
            await page.InnerTextAsync("#table-refused tr[data-row='4']"), StringComparison.Ordinal);
        Assert.Null((await Api.JourneyAsync(byReference)).CommunityTreatmentStartedOn);
        await Browser.AssertAccessibleAsync(page);
        await Browser.ScreenshotAsync(page, "import-check");

        await Browser.SubmitAsync(page, "Record 2 treatment starts");

        Assert.Equal("2 recorded", (await page.InnerTextAsync("#done .govuk-panel__title")).Trim());
        Assert.Equal(["2", "3"], await Rows(page, "recorded"));
        Assert.Equal(["4"], await Rows(page, "refused"));
        Assert.Equal(new LocalDate(2026, 11, 12), (await Api.JourneyAsync(byReference)).CommunityTreatmentStartedOn);
        Assert.Equal(new LocalDate(2026, 11, 13), (await Api.JourneyAsync(byId)).CommunityTreatmentStartedOn);
        await Browser.AssertAccessibleAsync(page);
        await Browser.ScreenshotAsync(page, "import-done");

        // The same file again: every row is already recorded or refused, so there is nothing to confirm.
        await page.GotoAsync("/handovers/FORWARD-LEEDS/import");
        await page.SetInputFilesAsync("#file", File(file));
        await Browser.SubmitAsync(page, "Check the file");
        Assert.Equal(["2", "3"], await Rows(page, "already-recorded"));
        Assert.Equal(0, await page.Locator("#form-confirm").CountAsync());
    }

    [Fact]
    public async Task Another_provider_s_import_page_is_not_shown()
    {
        var page = await Browser.SignedInAsync(Service.Address, "provider", "CGL", "/handovers");
        await page.GotoAsync("/handovers/FORWARD-LEEDS/import");
        Assert.Contains("/access-denied", page.Url, StringComparison.Ordinal);
    }

    private static Task<string[]> Rows(IPage page, string table) =>
        page.Locator($"#table-{table} tbody tr").EvaluateAllAsync<string[]>(
            "rows => rows.map(r => r.dataset.row)");
}
