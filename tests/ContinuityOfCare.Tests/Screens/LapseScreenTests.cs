using System.Net;
using ContinuityOfCare.Journeys.Lapse;
using ContinuityOfCare.Tests.Support;
using Microsoft.Playwright;
using NodaTime;

namespace ContinuityOfCare.Tests.Screens;

/// <summary>
/// The "lapsed, reason needed" list and the form that records why in a real browser, with the API's rules and
/// messages; and the release-day tags on the prison's releases due.
/// </summary>
[Collection(ScreensCollection.Name)]
public sealed class LapseScreenTests(PostgresCluster postgres, Browser browser)
    : ScreenTests(postgres, browser)
{
    private static readonly LocalDate Today = new(2026, 11, 23);

    [Fact]
    public async Task A_provider_records_why_a_window_lapsed_from_its_list_and_the_journey_leaves_it()
    {
        var lapsed = await Api.OpenAsync(JourneyApi.Registration("LEI-2026-0401", personRef: "P-2L8S"));
        Assert.Equal(
            HttpStatusCode.OK,
            (await Api.ReleaseAsync(lapsed, JourneyApi.Release(new LocalDate(2026, 10, 2)))).StatusCode);

        var page = await Browser.SignedInAsync(Service.Address, "provider", "FORWARD-LEEDS", "/handovers");
        await page.ClickAsync("#lapsed-reason-needed");
        await Browser.WaitForAddressAsync(page, "**/lapsed/FORWARD-LEEDS");
        Assert.Equal(
            [lapsed.ToString()],
            await page.Locator("#table-lapsed tbody tr").EvaluateAllAsync<string[]>(
                "rows => rows.map(r => r.dataset.journey)"));
        Assert.Equal(
            "Friday release", (await page.InnerTextAsync("#table-lapsed [data-release-day='friday']")).Trim());
        await Browser.AssertAccessibleAsync(page);
        await Browser.ScreenshotAsync(page, "lapsed-reason-needed");

        await page.ClickAsync($"tr[data-journey='{lapsed}'] a:has-text('Record why')");
        await Browser.WaitForAddressAsync(page, $"**/journeys/{lapsed}/lapse-reason");

        // "Other" needs its text: the API's 400 message on the field.
        await page.CheckAsync("#reason-Other");
        await Browser.SubmitAsync(page, "Record reason");
        Assert.Equal(
            ["What happened is required"], await page.Locator(".govuk-error-summary__list a").AllInnerTextsAsync());
        Assert.Equal("#text", await page.GetAttributeAsync(".govuk-error-summary__list a", "href"));
        await Browser.AssertAccessibleAsync(page);
        await Browser.ScreenshotAsync(page, "lapse-reason-form");

        await page.CheckAsync("#reason-Other");
        await page.FillAsync("#text", "staying with family out of area");
        await Browser.SubmitAsync(page, "Record reason");
        await Browser.WaitForAddressAsync(page, $"**/journeys/{lapsed}");
        Assert.Equal(
            "Reason recorded", (await page.InnerTextAsync("#done .govuk-notification-banner__heading")).Trim());
        Assert.StartsWith(
            "Other: staying with family out of area",
            (await page.InnerTextAsync("#why-lapsed")).Trim(),
            StringComparison.Ordinal);
        Assert.Equal(
            new LapseExplanation(LapseReason.Other, "staying with family out of area", Today),
            (await Api.JourneyAsync(lapsed)).WhyLapsed);

        await page.GotoAsync("/lapsed/FORWARD-LEEDS");
        Assert.Equal(0, await page.Locator("#table-lapsed").CountAsync());
        Assert.Contains(
            "No lapsed window is waiting for a reason.",
            await page.InnerTextAsync("#none-lapsed"),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_window_still_open_is_refused_on_the_reason_field_as_on_the_api()
    {
        var open = await Api.OpenAsync(JourneyApi.Registration("LEI-2026-0402", personRef: "P-6T1V"));
        Assert.Equal(
            HttpStatusCode.OK, (await Api.ReleaseAsync(open, JourneyApi.Release(Today.PlusDays(-3)))).StatusCode);

        var page = await Browser.SignedInAsync(Service.Address, "prison", "LEI", "/releases-due");
        await page.GotoAsync($"/journeys/{open}/lapse-reason");
        await page.CheckAsync("#reason-DidNotAttend");
        await Browser.SubmitAsync(page, "Record reason");
        var refused = await Problem.AssertAsync(
            await Api.PostAsync(open, "lapse-reason", new { reason = "did-not-attend" }),
            HttpStatusCode.Conflict,
            "reason");
        Assert.Equal(
            [$"Reason {refused.GetProperty("detail").GetString()!["reason: ".Length..]}"],
            await page.Locator(".govuk-error-summary__list a").AllInnerTextsAsync());
    }

    [Fact]
    public async Task Releases_due_on_a_friday_at_a_weekend_or_before_a_bank_holiday_are_tagged()
    {
        async Task<Guid> Scheduled(string journeyRef, string on)
        {
            var id = await Api.OpenAsync(JourneyApi.Registration(journeyRef, personRef: $"P-{journeyRef[^4..]}"));
            await Api.RecordAsync(id, "release-schedule", new { releaseOn = on });
            return id;
        }

        var monday = await Scheduled("LEI-2026-0501", "2026-11-30");
        var friday = await Scheduled("LEI-2026-0502", "2026-11-27");
        var saturday = await Scheduled("LEI-2026-0503", "2026-11-28");

        var page = await Browser.SignedInAsync(Service.Address, "prison", "LEI", "/releases-due");
        Assert.Equal(
            "Friday release",
            (await page.InnerTextAsync($"tr[data-journey='{friday}'] .govuk-tag[data-release-day]")).Trim());
        Assert.Equal(
            "Weekend release",
            (await page.InnerTextAsync($"tr[data-journey='{saturday}'] .govuk-tag[data-release-day]")).Trim());
        Assert.Equal(0, await page.Locator($"tr[data-journey='{monday}'] .govuk-tag[data-release-day]").CountAsync());
        await Browser.AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task A_prison_pages_through_its_lapsed_list_most_recently_closed_first()
    {
        // 22 windows closed on 22 different days: 20 on the first page, 2 on the second.
        var lapsed = new List<string>();
        for (var day = 0; day < 22; day++)
        {
            var id = await Api.OpenAsync(JourneyApi.Registration($"LEI-2026-07{day:00}", personRef: $"P-7{day:00}L"));
            await Api.ReleaseAsync(id, JourneyApi.Release(Today.PlusDays(-22 - day)));
            lapsed.Add(id.ToString());
        }

        var page = await Browser.SignedInAsync(Service.Address, "prison", "LEI", "/releases-due");
        await page.ClickAsync("#lapsed-reason-needed");
        await Browser.WaitForAddressAsync(page, "**/lapsed/LEI");
        Assert.Equal("Showing 1 to 20 of 22 journeys.", (await page.InnerTextAsync("#showing")).Trim());
        Assert.Equal(lapsed.Take(20), await RowsAsync(page));
        await page.ClickAsync("#pagination a[rel=next]");
        await Browser.WaitForAddressAsync(page, "**/lapsed/LEI?page=2");
        Assert.Equal("Showing 21 to 22 of 22 journeys.", (await page.InnerTextAsync("#showing")).Trim());
        Assert.Equal(lapsed.Skip(20), await RowsAsync(page));
        await Browser.AssertAccessibleAsync(page);

        // A page past the last shows the last, as the inbox does.
        await page.GotoAsync("/lapsed/LEI?page=9");
        Assert.Equal("Showing 21 to 22 of 22 journeys.", (await page.InnerTextAsync("#showing")).Trim());
    }

    private static async Task<string[]> RowsAsync(IPage page) =>
        await page.Locator("#table-lapsed tbody tr").EvaluateAllAsync<string[]>(
            "rows => rows.map(r => r.dataset.journey)");
}
