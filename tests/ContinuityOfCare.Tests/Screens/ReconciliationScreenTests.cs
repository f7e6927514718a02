using System.Net;
using System.Text;
using ContinuityOfCare.Tests.Support;
using ContinuityOfCare.Web;
using Microsoft.Playwright;
using NodaTime;

namespace ContinuityOfCare.Tests.Screens;

/// <summary>
/// Comparing a published figure with ours (/continuity/reconciliation) in a real browser: the figures are the API's,
/// a suppressed area shows nothing the table hides, the form shows the API's messages, and the audit export
/// downloads as the API writes it, for analysts allowed it. Today is 2026-11-23.
/// </summary>
[Collection(ScreensCollection.Name)]
public sealed class ReconciliationScreenTests(PostgresCluster postgres, Browser browser)
    : ScreenTests(postgres, browser)
{
    private static readonly LocalDate Released = new(2026, 9, 7);
    private static readonly string Exporter = ServiceFactory.Token(["analyst"], ["OHID"], ["figures:unsuppressed"]);

    /// <summary>LEI 6 releases (4 picked up in the window), WYI 2 (small), HLI 5 (hidden with WYI).</summary>
    private async Task SeedAsync()
    {
        foreach (var (prison, pickupDays) in new[]
                 {
                     ("LEI", new int?[] { 0, 3, 21, 22, null, 1 }), ("WYI", [2, null]),
                     ("HLI", [null, null, null, 5, null]),
                 })
        {
            foreach (var day in pickupDays)
            {
                var id = await Api.OpenAsync(JourneyApi.Registration(prisonCode: prison));
                await Api.RecordAsync(id, "release", JourneyApi.Release(Released));
                if (day is { } d)
                {
                    await Api.RecordAsync(
                        id, "community-treatment-start", JourneyApi.TreatmentStart(Released.PlusDays(d)));
                }
            }
        }

        await Service.CatchUpAsync();
    }

    [Fact]
    public async Task An_analyst_compares_a_published_figure_with_ours_and_sees_the_APIs_figures_and_reasons()
    {
        await SeedAsync();
        var page = await (await Browser.NewContextAsync(Service.Address)).NewPageAsync();
        await page.GotoAsync("/sign-in");
        await Browser.SignInAsync(page, "analyst", "LEEDS-PUBLIC-HEALTH");
        await Browser.WaitForAddressAsync(page, "**/analyst");
        await page.ClickAsync("#reconciliation-link");
        await Browser.WaitForAddressAsync(page, "**/continuity/reconciliation");

        // Nothing chosen: the API's messages, on the fields of the form.
        await page.ClickAsync("#compare");
        await page.WaitForSelectorAsync(".govuk-error-summary");
        Assert.Equal(
            ["Prison or local authority give either prison or localAuthority (one of them)",
                "Published releases is required", "Published pickups is required"],
            await page.Locator(".govuk-error-summary__list a").AllInnerTextsAsync());
        Assert.Equal(
            ["#area", "#releases", "#pickups"],
            await page.Locator(".govuk-error-summary__list a")
                .EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))"));
        await page.FillAsync("#pickups", "three");
        await page.FillAsync("#releases", "2");
        await page.ClickAsync("#compare");
        await page.WaitForSelectorAsync(".govuk-error-summary");
        Assert.Contains(
            "Published pickups must be a whole number, such as 120",
            await page.Locator(".govuk-error-summary__list a").AllInnerTextsAsync());

        await page.SelectOptionAsync("#period", "month:2026-09");
        await page.SelectOptionAsync("#area", "prison:LEI");
        await page.FillAsync("#releases", "8");
        await page.FillAsync("#pickups", "3");
        await page.ClickAsync("#compare");
        await page.WaitForSelectorAsync("#comparison");

        var api = await (await Service.ClientAs(ServiceFactory.Token("analyst", "LEEDS-PUBLIC-HEALTH")).PostAsync(
            "/api/v1/continuity/reconciliation",
            Json.Body(new { period = "2026-09", prison = "LEI", published = new { releases = 8, pickups = 3 } })))
            .ReadJsonAsync();
        var ours = api.GetProperty("ours");
        Assert.Equal((6, 4, -2, 1), (ours.GetProperty("releases").GetInt32(), ours.GetProperty("pickups").GetInt32(),
            api.GetProperty("difference").GetProperty("releases").GetInt32(),
            api.GetProperty("difference").GetProperty("pickups").GetInt32()));
        Assert.Equal(["Releases", "6", "8", "-2"], await CellsAsync(page, "#row-releases"));
        Assert.Equal(["Picked up within the window", "4", "3", "+1"], await CellsAsync(page, "#row-pickups"));
        Assert.Equal(
            ["Continuity rate", Display.Percent(ours.GetProperty("rate").GetDouble()), "37.5%",
                $"+{api.GetProperty("difference").GetProperty("ratePoints").GetDouble():0.0} points"],
            await CellsAsync(page, "#row-rate"));
        Assert.Equal("Final", (await page.InnerTextAsync("#final-flag")).Trim());
        var reasons = await page.Locator("#reasons li").AllInnerTextsAsync();
        Assert.Equal(api.GetProperty("reasons").GetArrayLength(), reasons.Count);
        Assert.StartsWith("1: Pickups on the release date (day 0)", reasons[0], StringComparison.Ordinal);
        Assert.Contains("The audit export", await page.InnerTextAsync("#no-export"), StringComparison.Ordinal);
        await Browser.AssertAccessibleAsync(page);
        await Browser.ScreenshotAsync(page, "reconciliation");

        // HLI is hidden in the table by prison (with WYI, the only smaller group): here too, differences included.
        await page.SelectOptionAsync("#area", "prison:HLI");
        await page.ClickAsync("#compare");
        await page.WaitForSelectorAsync("#suppressed");
        Assert.Equal(["Releases", "Suppressed", "8", "Suppressed"], await CellsAsync(page, "#row-releases"));
        Assert.Equal(["Continuity rate", "Suppressed", "37.5%", "Suppressed"], await CellsAsync(page, "#row-rate"));
        Assert.Equal(0, await page.Locator("#ours").CountAsync());
        Assert.DoesNotMatch("[0-9]+:", string.Join("\n", await page.Locator("#reasons li").AllInnerTextsAsync()));
        await Browser.AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task An_analyst_allowed_unsuppressed_figures_downloads_the_audit_export_as_the_API_writes_it()
    {
        await SeedAsync();
        // The development sign-in grants no permissions; a bearer token works on the screens as on the API.
        var context = await Browser.NewContextAsync(Service.Address);
        await context.SetExtraHTTPHeadersAsync([new("Authorization", $"Bearer {Exporter}")]);
        var page = await context.NewPageAsync();
        await page.GotoAsync(
            "/continuity/reconciliation?period=month%3A2026-09&area=prison%3ALEI&releases=8&pickups=3");
        await page.WaitForSelectorAsync("#comparison");

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#download-audit"));

        Assert.Equal("continuity-audit-2026-09-01-to-2026-09-30-as-of-2026-11-23.csv", download.SuggestedFilename);
        var bytes = await File.ReadAllBytesAsync((await download.PathAsync())!);
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var api = await Service.ClientAs(Exporter)
            .GetAsync("/api/v1/continuity/audit-export?period=2026-09&prison=LEI&format=csv");
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        var csv = Encoding.UTF8.GetString(bytes[3..]);
        Assert.Equal(await api.Content.ReadAsStringAsync(), csv);
        Assert.Equal(7, csv.TrimEnd('\n').Split('\n').Length); // the header and LEI's 6 releases

        // Without the permission the download is refused, whatever the address says.
        var plain = await Service.ClientAs(ServiceFactory.Token("analyst", "LEEDS-PUBLIC-HEALTH"))
            .GetAsync("/continuity/reconciliation?handler=csv&period=month%3A2026-09&area=prison%3ALEI");
        Assert.Equal(HttpStatusCode.Forbidden, plain.StatusCode);
    }

    private static async Task<IReadOnlyList<string>> CellsAsync(IPage page, string row) =>
        (await page.Locator($"{row} th, {row} td").AllInnerTextsAsync()).Select(c => c.Trim()).ToList();
}
