using System.Net;
using ContinuityOfCare.Tests.Support;
using Microsoft.Playwright;
using NodaTime;

namespace ContinuityOfCare.Tests.Screens;

/// <summary>
/// The provider's handovers, the prison's releases due and a journey's page in a real browser: the API's worklists in
/// its order, lapsed handovers apart, a badge for windows about to close, and who recorded what and when.
/// </summary>
[Collection(ScreensCollection.Name)]
public sealed class WorklistScreenTests(PostgresCluster postgres, Browser browser)
    : ScreenTests(postgres, browser)
{
    private static readonly LocalDate Today = new(2026, 11, 23);

    [Fact]
    public async Task A_provider_sees_live_handovers_fewest_days_left_first_lapsed_apart_and_each_journeys_history()
    {
        var tenDaysLeft = await ReleasedAsync("LEI-2026-0101", "P-7Q2K", Today.PlusDays(-11));
        var twoDaysLeft = await ReleasedAsync("LEI-2026-0102", "P-3M8D", Today.PlusDays(-19));
        var lapsed = await ReleasedAsync("LEI-2026-0103", "P-9X4T", Today.PlusDays(-40));
        await Api.RecordAsync(
            twoDaysLeft,
            "handover-acknowledgement",
            new { firstAppointmentOn = Today.PlusDays(1).ToString("uuuu-MM-dd", null) });
        var inbox = await Api.GetJsonAsync("/api/v1/providers/FORWARD-LEEDS/handovers");

        var page = await Browser.SignedInAsync(Service.Address, "provider", "FORWARD-LEEDS", "/handovers");
        Assert.Equal("Handovers to Forward Leeds (FORWARD-LEEDS)", (await page.InnerTextAsync("h1")).Trim());
        Assert.Equal(
            [twoDaysLeft.ToString(), tenDaysLeft.ToString()],
            await page.Locator("#table-live tbody tr").EvaluateAllAsync<string[]>(
                "rows => rows.map(r => r.dataset.journey)"));
        Assert.Equal(
            inbox.GetProperty("handovers").EnumerateArray()
                .Where(h => !h.GetProperty("lapsed").GetBoolean())
                .Select(h => h.GetProperty("journeyId").GetString()),
            await page.Locator("#table-live tbody tr").EvaluateAllAsync<string[]>(
                "rows => rows.map(r => r.dataset.journey)"));
        Assert.Equal(
            [lapsed.ToString()],
            await page.Locator("#table-lapsed tbody tr").EvaluateAllAsync<string[]>(
                "rows => rows.map(r => r.dataset.journey)"));
        Assert.Equal(1, await page.Locator(".moj-badge").CountAsync());
        Assert.Contains(
            "HMP Leeds (LEI)",
            await page.InnerTextAsync($"tr[data-journey='{twoDaysLeft}']"),
            StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator($"tr[data-journey='{twoDaysLeft}'] .moj-badge").CountAsync());
        await Browser.AssertAccessibleAsync(page);
        await Browser.ScreenshotAsync(page, "provider-handovers");

        await page.ClickAsync($"tr[data-journey='{twoDaysLeft}'] a");
        await Browser.WaitForAddressAsync(page, $"**/journeys/{twoDaysLeft}");
        Assert.Equal("Released", (await page.InnerTextAsync("#stage")).Trim());
        Assert.Contains("2 days left", await page.InnerTextAsync("#window"), StringComparison.Ordinal);
        var history = await page.Locator("#table-history tbody tr").AllInnerTextsAsync();
        Assert.Equal(3, history.Count);
        Assert.Contains("handover acknowledged", history[2], StringComparison.Ordinal);
        Assert.Contains("test-user (provider, FORWARD-LEEDS)", history[2], StringComparison.Ordinal);
        Assert.Contains("23 November 2026 at 12:00", history[2], StringComparison.Ordinal);
        await Browser.AssertAccessibleAsync(page);
        await Browser.ScreenshotAsync(page, "journey");
    }

    [Fact]
    public async Task A_prison_team_sees_its_releases_due_and_no_one_else_sees_its_journeys()
    {
        var due = await Api.OpenAsync(JourneyApi.Registration("LEI-2026-0201", personRef: "P-5R2W"));
        await Api.RecordAsync(
            due, "release-schedule", new { releaseOn = Today.PlusDays(5).ToString("uuuu-MM-dd", null) });
        var elsewhere = await Api.OpenAsync(JourneyApi.Registration(prisonCode: "WYI"));
        await Api.RecordAsync(
            elsewhere, "release-schedule", new { releaseOn = Today.PlusDays(3).ToString("uuuu-MM-dd", null) });

        var page = await Browser.SignedInAsync(Service.Address, "prison", "LEI", "/releases-due");
        Assert.Equal("Releases due at HMP Leeds (LEI)", (await page.InnerTextAsync("h1")).Trim());
        Assert.Equal(
            [due.ToString()],
            await page.Locator("#table-releases-due tbody tr").EvaluateAllAsync<string[]>(
                "rows => rows.map(r => r.dataset.journey)"));
        Assert.Contains("in 5 days", await page.InnerTextAsync("#table-releases-due"), StringComparison.Ordinal);
        await Browser.AssertAccessibleAsync(page);
        await Browser.ScreenshotAsync(page, "prison-releases-due");

        // Another prison's journey, and every journey for an analyst, is refused as on the API.
        await page.GotoAsync($"/journeys/{elsewhere}");
        Assert.Contains("/access-denied", page.Url, StringComparison.Ordinal);
        var analyst = await Browser.SignedInAsync(Service.Address, "analyst", "LEEDS-PUBLIC-HEALTH", "/analyst");
        await analyst.GotoAsync($"/journeys/{due}");
        Assert.Contains("/access-denied", analyst.Url, StringComparison.Ordinal);
        Assert.DoesNotContain(due.ToString(), await analyst.ContentAsync(), StringComparison.Ordinal);
        Assert.Equal(
            HttpStatusCode.Forbidden,
            (await Service.ClientAs(ServiceFactory.Token("prison", "WYI")).GetAsync($"/journeys/{due}")).StatusCode);
    }

    [Fact]
    public async Task A_provider_filters_their_handovers_and_pages_through_them_in_the_apis_order()
    {
        // 21 live windows (1 to 21 days left: three close within 3 days), one lapsed and one not yet released.
        for (var day = 0; day <= 20; day++)
        {
            await ReleasedAsync($"LEI-2026-05{day:00}", $"P-5{day:00}A", Today.PlusDays(-day));
        }

        var lapsed = await ReleasedAsync("LEI-2026-0540", "P-540A", Today.PlusDays(-40));
        var referred = await Api.OpenAsync(JourneyApi.Registration("LEI-2026-0550", personRef: "P-550A"));
        await Api.RecordAsync(referred, "referral", new { provider = "FORWARD-LEEDS", referredOn = "2026-11-20" });
        var inbox = (await Api.GetJsonAsync("/api/v1/providers/FORWARD-LEEDS/handovers")).GetProperty("handovers")
            .EnumerateArray().ToList();
        var live = inbox
            .Where(h => !h.GetProperty("lapsed").GetBoolean()
                && h.GetProperty("releasedOn").ValueKind != System.Text.Json.JsonValueKind.Null)
            .Select(h => h.GetProperty("journeyId").GetString()!).ToList();
        Assert.Equal(21, live.Count);

        var page = await Browser.SignedInAsync(Service.Address, "provider", "FORWARD-LEEDS", "/handovers");
        Assert.Equal("Showing 1 to 20 of 23 handovers.", (await page.InnerTextAsync("#showing")).Trim());
        var first = await RowsAsync(page, "live");
        Assert.Equal(live.Take(20), first);
        Assert.Equal("These are on other pages.", (await page.InnerTextAsync("#lapsed + p")).Trim());
        Assert.Equal("Released: window open (21)", (await page.InnerTextAsync("#live")).Trim());
        Assert.Equal(3, await page.Locator(".moj-badge").CountAsync());
        await Browser.AssertAccessibleAsync(page);

        await page.ClickAsync("#pagination a[rel=next]");
        await Browser.WaitForAddressAsync(page, "**/handovers?page=2");
        Assert.Equal("Showing 21 to 23 of 23 handovers.", (await page.InnerTextAsync("#showing")).Trim());
        Assert.Equal(live.Skip(20), await RowsAsync(page, "live"));
        Assert.Equal([referred.ToString()], await RowsAsync(page, "not-released"));
        Assert.Equal([lapsed.ToString()], await RowsAsync(page, "lapsed"));
        Assert.Equal("page", await page.GetAttributeAsync("#pagination a[aria-label='Page 2']", "aria-current"));
        await Browser.AssertAccessibleAsync(page);
        await Browser.ScreenshotAsync(page, "provider-handovers-page-2");

        // Closing within 3 days: the live ones with a badge, still fewest days left first; the filter stays chosen.
        await page.SelectOptionAsync("#show", "closing-soon");
        await page.ClickAsync("button:has-text('Apply filters')");
        await Browser.WaitForAddressAsync(page, "**/handovers?show=closing-soon*");
        var closing = await RowsAsync(page, "live");
        Assert.Equal(live.Take(3), closing);
        Assert.Equal(3, await page.Locator("#table-live .moj-badge").CountAsync());
        Assert.Equal(0, await page.Locator("#pagination").CountAsync());
        Assert.Equal(0, await page.Locator("#table-lapsed").CountAsync());
        Assert.Equal("closing-soon", await page.InputValueAsync("#show"));

        await page.SelectOptionAsync("#show", "lapsed");
        await page.ClickAsync("button:has-text('Apply filters')");
        await Browser.WaitForAddressAsync(page, "**/handovers?show=lapsed*");
        Assert.Equal([lapsed.ToString()], await RowsAsync(page, "lapsed"));
        Assert.Equal(0, await page.Locator("#table-live").CountAsync());

        // A journey reference, in part and in any case, across every section.
        await page.SelectOptionAsync("#show", "all");
        await page.FillAsync("#ref", "lei-2026-0517");
        await page.Locator("#ref").PressAsync("Enter"); // the box itself, whatever has focus
        await Browser.WaitForAddressAsync(page, "**/handovers?show=all&ref=lei-2026-0517");
        Assert.Equal("Showing 1 of 1 handover.", (await page.InnerTextAsync("#showing")).Trim());
        Assert.Equal("lei-2026-0517", await page.InputValueAsync("#ref"));
        var match = await RowsAsync(page, "live");
        Assert.Single(match);
        Assert.Contains(
            "LEI-2026-0517", await page.InnerTextAsync($"tr[data-journey='{match[0]}']"), StringComparison.Ordinal);
        await Browser.AssertAccessibleAsync(page);
        await Browser.ScreenshotAsync(page, "provider-handovers-filtered");
    }

    private static Task<string[]> RowsAsync(IPage page, string section) =>
        page.Locator($"#table-{section} tbody tr").EvaluateAllAsync<string[]>(
            "rows => rows.map(r => r.dataset.journey)");

    /// <summary>Fixed references, so the screenshots are the same from run to run.</summary>
    private async Task<Guid> ReleasedAsync(string journeyRef, string personRef, LocalDate releasedOn)
    {
        var id = await Api.OpenAsync(JourneyApi.Registration(journeyRef, personRef: personRef));
        Assert.Equal(HttpStatusCode.OK, (await Api.ReleaseAsync(id, JourneyApi.Release(releasedOn))).StatusCode);
        return id;
    }
}
