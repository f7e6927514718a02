using System.Text;
using ContinuityOfCare.Tests.Support;
using Microsoft.Playwright;

namespace ContinuityOfCare.Tests.Screens;

/// <summary>
/// The organisation directory page in a real browser: anyone signed in reads it and downloads it; an operator
/// replaces it by uploading a CSV, with the API's row-and-column messages when a row is wrong and nothing replaced.
/// </summary>
[Collection(ScreensCollection.Name)]
public sealed class OrganisationScreenTests(PostgresCluster postgres, Browser browser)
    : ScreenTests(postgres, browser)
{
    private const string Header = "code,kind,name,region,category,holdsWomen\n";

    [Fact]
    public async Task An_analyst_reads_the_directory_and_downloads_it_but_cannot_replace_it()
    {
        var page = await Browser.SignedInAsync(Service.Address, "analyst", "OHID", "/analyst");
        await page.GotoAsync("/organisations");

        Assert.Equal("Organisation directory", (await page.InnerTextAsync("h1")).Trim());
        Assert.Contains(
            "ships with the service", await page.InnerTextAsync("#directory-source"), StringComparison.Ordinal);
        Assert.Equal(
            ["LEI", "HMP Leeds", "Yorkshire and The Humber", "B", "No"],
            (await page.Locator("#table-prisons tr[data-code='LEI'] th, #table-prisons tr[data-code='LEI'] td")
                .AllInnerTextsAsync()).Select(t => t.Trim()));
        Assert.Equal(
            "Forward Leeds",
            (await page.InnerTextAsync("#table-providers tr[data-code='FORWARD-LEEDS'] td")).Trim());
        Assert.Equal(0, await page.Locator("#form-directory").CountAsync());

        var download = await page.APIRequest.GetAsync("/organisations?handler=csv");
        Assert.Equal(200, download.Status);
        Assert.StartsWith(Header, await download.TextAsync(), StringComparison.Ordinal);
        await Browser.AssertAccessibleAsync(page);

        // The form is not there, and posting to it anyway is refused.
        var post = await page.APIRequest.PostAsync(
            "/organisations", new() { Multipart = page.APIRequest.CreateFormData() });
        Assert.NotEqual(200, post.Status);
    }

    [Fact]
    public async Task An_operator_replaces_the_directory_by_upload_and_a_bad_row_replaces_nothing()
    {
        var page = await Browser.SignedInAsync(Service.Address, "operator", "PLATFORM", "/");
        await page.ClickAsync("a:has-text('Organisation directory')");
        await Browser.WaitForAddressAsync(page, "**/organisations");

        await Upload(
            page, Header + "LEI,prison,Leeds,North,B,no\nWYI,jail,Wetherby,North,YOI,no\nCGL,provider,,x,,\n");
        Assert.Equal(
            [
                "The file has a problem at row 3, kind: must be prison, local-authority or provider",
                "The file has a problem at row 4, name: is required",
            ],
            await page.Locator(".govuk-error-summary__list a").AllInnerTextsAsync());
        Assert.Equal("#directory", await page.GetAttributeAsync(".govuk-error-summary__list a", "href"));
        Assert.Contains(
            "row 3, kind", await page.InnerTextAsync("#directory-error"), StringComparison.Ordinal);
        Assert.Contains(
            "ships with the service", await page.InnerTextAsync("#directory-source"), StringComparison.Ordinal);
        await Browser.AssertAccessibleAsync(page);
        await Browser.ScreenshotAsync(page, "organisations-upload-error");

        await Upload(
            page,
            Header + "LEI,prison,HMP Leeds (renamed),North,B,no\nCGL,provider,Change Grow Live,national,,\n");
        await page.WaitForSelectorAsync("#replaced");
        Assert.Equal(
            "The directory was replaced: 2 organisations",
            (await page.InnerTextAsync("#replaced .govuk-notification-banner__heading")).Trim());
        Assert.Contains(
            "Uploaded by dev-operator on 23 November 2026", await page.InnerTextAsync("#directory-source"),
            StringComparison.Ordinal);
        Assert.Equal(
            "HMP Leeds (renamed)", (await page.InnerTextAsync("#table-prisons tr[data-code='LEI'] td")).Trim());
        Assert.Equal(0, await page.Locator("#table-prisons tr[data-code='WYI']").CountAsync());
        var list = await Api.GetJsonAsync("/api/v1/organisations");
        Assert.Equal("uploaded", list.GetProperty("source").GetString());
        await Browser.AssertAccessibleAsync(page);
        await Browser.ScreenshotAsync(page, "organisations");
    }

    private static async Task Upload(IPage page, string csv)
    {
        await page.SetInputFilesAsync("#directory", new FilePayload
        {
            Name = "organisations.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv),
        });
        await Browser.SubmitAsync(page, "Replace the directory");
    }
}
