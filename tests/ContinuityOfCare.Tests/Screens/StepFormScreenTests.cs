using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Http;
using ContinuityOfCare.Journeys;
using ContinuityOfCare.Tests.Support;
using Microsoft.Playwright;
using NodaTime;

namespace ContinuityOfCare.Tests.Screens;

/// <summary>
/// The other steps' forms in a real browser, each with the API's request checks and rules: a prison team schedules a
/// release and refers to a provider; a handover is redirected; a provider records a missed appointment and the end of
/// treatment. Each form is linked from the journey page only when its step makes sense, for the side that takes it.
/// Also: an unknown page or journey is the "Page not found" page, while the API keeps its problem+json 404.
/// </summary>
[Collection(ScreensCollection.Name)]
public sealed class StepFormScreenTests(PostgresCluster postgres, Browser browser)
    : ScreenTests(postgres, browser)
{
    private static readonly LocalDate Today = new(2026, 11, 23);

    [Fact]
    public async Task A_prison_team_schedules_a_release_and_refers_to_a_provider()
    {
        var journey = await Api.OpenAsync(JourneyApi.Registration("LEI-2026-0601", personRef: "P-6T1B"));
        var page = await Browser.SignedInAsync(Service.Address, "prison", "LEI", "/releases-due");
        await page.GotoAsync($"/journeys/{journey}");
        Assert.Equal(["Schedule the release", "Record the release", "Refer to a provider"], await ActionsAsync(page));

        await page.ClickAsync("a:has-text('Schedule the release')");
        await Browser.WaitForAddressAsync(page, $"**/journeys/{journey}/release-schedule");
        await Browser.SubmitAsync(page, "Schedule release");
        var missing = await Problem.AssertAsync(
            await Api.PostAsync(journey, "release-schedule", new { }), HttpStatusCode.BadRequest, "releaseOn");
        Assert.Equal([$"Expected release date {Message(missing, "releaseOn")}"], await SummaryAsync(page));
        Assert.Equal("#release-on-day", await page.GetAttributeAsync(".govuk-error-summary__list a", "href"));

        // A 409 from the rule: before custody treatment started (2025-01-06).
        await FillDateAsync(page, "release-on", new LocalDate(2025, 1, 1));
        await Browser.SubmitAsync(page, "Schedule release");
        var early = await Problem.AssertAsync(
            await Api.PostAsync(journey, "release-schedule", new { releaseOn = "2025-01-01" }),
            HttpStatusCode.Conflict, "releaseOn");
        Assert.Equal([$"Expected release date {Detail(early, "releaseOn")}"], await SummaryAsync(page));
        Assert.Equal(
            $"Error: Expected release date {Detail(early, "releaseOn")}", await ErrorAsync(page, "release-on"));
        await Browser.AssertAccessibleAsync(page);
        await Browser.ScreenshotAsync(page, "prison-schedule-release-form");

        // Keyboard only: day, month and year, tab to the button, Enter.
        await page.FocusAsync("#release-on-day");
        foreach (var part in new[] { "7", "12", "2026" })
        {
            await page.Keyboard.PressAsync("Control+A");
            await page.Keyboard.TypeAsync(part);
            await page.Keyboard.PressAsync("Tab");
        }

        Assert.Equal(
            "Schedule release", (await page.EvaluateAsync<string>("document.activeElement.textContent")).Trim());
        await page.Keyboard.PressAsync("Enter");
        await Browser.WaitForAddressAsync(page, $"**/journeys/{journey}");
        Assert.Equal("Release scheduled", await DoneAsync(page));
        Assert.Equal(new LocalDate(2026, 12, 7), (await Api.JourneyAsync(journey)).ReleaseScheduledOn);
        Assert.Equal(
            ["Change the expected release date", "Record the release", "Refer to a provider"],
            await ActionsAsync(page));
        await page.ClickAsync("a:has-text('Change the expected release date')");
        Assert.Equal(["7", "12", "2026"], await DateAsync(page, "release-on"));

        await page.GotoAsync($"/journeys/{journey}/referral");
        await page.FillAsync("#provider", "FORWARD LEEDS");
        await Browser.SubmitAsync(page, "Refer to provider");
        var invalid = await Problem.AssertAsync(
            await Api.PostAsync(journey, "referral", new { provider = "FORWARD LEEDS" }),
            HttpStatusCode.BadRequest, "provider");
        Assert.Equal(
            [$"Community provider {Message(invalid, "provider")}", $"Date referred {Message(invalid, "referredOn")}"],
            await SummaryAsync(page));
        Assert.Equal(
            ["#provider", "#referred-on-day"],
            await page.Locator(".govuk-error-summary__list a").EvaluateAllAsync<string[]>(
                "links => links.map(a => a.getAttribute('href'))"));

        await page.FillAsync("#provider", "FORWARD-LEEDS");
        await FillDateAsync(page, "referred-on", new LocalDate(2024, 12, 31));
        await Browser.SubmitAsync(page, "Refer to provider");
        var before = await Problem.AssertAsync(
            await Api.PostAsync(journey, "referral", new { provider = "FORWARD-LEEDS", referredOn = "2024-12-31" }),
            HttpStatusCode.Conflict, "referredOn");
        Assert.Equal([$"Date referred {Detail(before, "referredOn")}"], await SummaryAsync(page));
        Assert.Equal("#referred-on-day", await page.GetAttributeAsync(".govuk-error-summary__list a", "href"));
        await Browser.AssertAccessibleAsync(page);
        await Browser.ScreenshotAsync(page, "prison-referral-form");

        await FillDateAsync(page, "referred-on", Today);
        await Browser.SubmitAsync(page, "Refer to provider");
        await Browser.WaitForAddressAsync(page, $"**/journeys/{journey}");
        Assert.Equal("Referred to the provider", await DoneAsync(page));
        var handover = (await Api.JourneyAsync(journey)).Handover!;
        Assert.Equal(("FORWARD-LEEDS", HandoverStatus.AwaitingAcknowledgement), (handover.Provider, handover.Status));
        Assert.Equal(
            ["Change the expected release date", "Record the release", "Redirect the handover to another provider"],
            await ActionsAsync(page));

        // The provider, not the prison, acts on the handover; nor does the provider see the prison's forms.
        var provider = await Browser.SignedInAsync(Service.Address, "provider", "FORWARD-LEEDS", "/handovers");
        await provider.GotoAsync($"/journeys/{journey}");
        Assert.Equal(
            ["Acknowledge, decline or book an appointment", "Redirect the handover to another provider"],
            await ActionsAsync(provider));
        await provider.GotoAsync($"/journeys/{journey}/release-schedule");
        Assert.Contains("/access-denied", provider.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_provider_redirects_a_handover_to_another_provider_and_no_longer_sees_it()
    {
        var journey = await Api.OpenAsync(JourneyApi.Registration("LEI-2026-0602", personRef: "P-8K2D"));
        Assert.Equal(
            HttpStatusCode.OK, (await Api.ReleaseAsync(journey, JourneyApi.Release(Today.PlusDays(-2)))).StatusCode);
        await Api.RecordAsync(journey, "handover-acknowledgement", new { });
        var page = await Browser.SignedInAsync(Service.Address, "provider", "FORWARD-LEEDS", "/handovers");
        await page.GotoAsync($"/journeys/{journey}");
        await page.ClickAsync("a:has-text('Redirect the handover to another provider')");
        await Browser.WaitForAddressAsync(page, $"**/journeys/{journey}/handover-redirect");

        await Browser.SubmitAsync(page, "Redirect handover");
        var required = await Problem.AssertAsync(
            await Api.PostAsync(journey, "handover-redirect", new { }), HttpStatusCode.BadRequest, "toProvider");
        Assert.Equal([$"New community provider {Message(required, "toProvider")}"], await SummaryAsync(page));

        // An impossible date is the API's message for a malformed one; what was typed stays.
        await page.FillAsync("#to-provider", "FORWARD-LEEDS");
        await FillDateAsync(page, "redirected-on", "30", "2", "2026");
        await Browser.SubmitAsync(page, "Redirect handover");
        var malformed = await Problem.AssertAsync(
            await Api.PostAsync(journey, "handover-redirect", new { toProvider = "CGL", redirectedOn = "2026-02-30" }),
            HttpStatusCode.BadRequest, "redirectedOn");
        Assert.StartsWith(Fields.NotADate, Message(malformed, "redirectedOn"), StringComparison.Ordinal);
        Assert.Equal([$"Date redirected {Fields.NotADate}"], await SummaryAsync(page));
        Assert.Equal("#redirected-on-day", await page.GetAttributeAsync(".govuk-error-summary__list a", "href"));
        Assert.Equal(["30", "2", "2026"], await DateAsync(page, "redirected-on"));
        Assert.Equal("FORWARD-LEEDS", await page.InputValueAsync("#to-provider"));

        // A 409 from the rule: the acknowledged handover is already with this provider.
        await FillDateAsync(page, "redirected-on", "", "", "");
        await Browser.SubmitAsync(page, "Redirect handover");
        var already = await Problem.AssertAsync(
            await Api.PostAsync(journey, "handover-redirect", new { toProvider = "FORWARD-LEEDS" }),
            HttpStatusCode.Conflict, "toProvider");
        Assert.Equal([$"New community provider {Detail(already, "toProvider")}"], await SummaryAsync(page));
        Assert.Equal("#to-provider", await page.GetAttributeAsync(".govuk-error-summary__list a", "href"));
        await Browser.AssertAccessibleAsync(page);
        await Browser.ScreenshotAsync(page, "redirect-handover-form");

        await page.FillAsync("#to-provider", "CGL");
        await Browser.SubmitAsync(page, "Redirect handover");
        // Redirected away, the journey is no longer this provider's: back to their handovers.
        Assert.EndsWith("/handovers", page.Url, StringComparison.Ordinal);
        Assert.Equal("Handover redirected", await DoneAsync(page));
        Assert.Equal(0, await page.Locator($"tr[data-journey='{journey}']").CountAsync());
        var handover = (await Api.JourneyAsync(journey)).Handover!;
        Assert.Equal(
            ("CGL", HandoverStatus.AwaitingAcknowledgement, Today),
            (handover.Provider, handover.Status, handover.Since));

        // The prison team may redirect it too, and stays on the journey.
        var prison = await Browser.SignedInAsync(Service.Address, "prison", "LEI", "/releases-due");
        await prison.GotoAsync($"/journeys/{journey}/handover-redirect");
        await prison.FillAsync("#to-provider", "FORWARD-LEEDS");
        await Browser.SubmitAsync(prison, "Redirect handover");
        await Browser.WaitForAddressAsync(prison, $"**/journeys/{journey}");
        Assert.Equal("FORWARD-LEEDS", (await Api.JourneyAsync(journey)).Handover!.Provider);
    }

    [Fact]
    public async Task A_provider_records_a_missed_appointment_and_the_end_of_treatment()
    {
        var journey = await Api.OpenAsync(JourneyApi.Registration("LEI-2026-0603", personRef: "P-3W9N"));
        Assert.Equal(
            HttpStatusCode.OK, (await Api.ReleaseAsync(journey, JourneyApi.Release(Today.PlusDays(-5)))).StatusCode);
        var page = await Browser.SignedInAsync(Service.Address, "provider", "FORWARD-LEEDS", "/handovers");
        await page.GotoAsync($"/journeys/{journey}");
        Assert.Equal(
            ["Acknowledge, decline or book an appointment", "Redirect the handover to another provider",
                "Record the treatment start", "Record a missed appointment"],
            await ActionsAsync(page));

        await page.ClickAsync("a:has-text('Record a missed appointment')");
        await Browser.WaitForAddressAsync(page, $"**/journeys/{journey}/missed-appointment");
        await Browser.SubmitAsync(page, "Record missed appointment");
        var missing = await Problem.AssertAsync(
            await Api.PostAsync(journey, "missed-appointment", new { }), HttpStatusCode.BadRequest, "appointmentOn");
        Assert.Equal(
            [$"Date of the missed appointment {Message(missing, "appointmentOn")}"], await SummaryAsync(page));

        await FillDateAsync(page, "appointment-on", Today.PlusDays(-6));
        await Browser.SubmitAsync(page, "Record missed appointment");
        var beforeRelease = await Problem.AssertAsync(
            await Api.PostAsync(journey, "missed-appointment", new { appointmentOn = Iso(Today.PlusDays(-6)) }),
            HttpStatusCode.Conflict, "appointmentOn");
        Assert.Equal(
            [$"Date of the missed appointment {Detail(beforeRelease, "appointmentOn")}"], await SummaryAsync(page));
        Assert.Equal("#appointment-on-day", await page.GetAttributeAsync(".govuk-error-summary__list a", "href"));
        await Browser.AssertAccessibleAsync(page);
        await Browser.ScreenshotAsync(page, "provider-missed-appointment-form");

        await FillDateAsync(page, "appointment-on", Today.PlusDays(-1));
        await Browser.SubmitAsync(page, "Record missed appointment");
        await Browser.WaitForAddressAsync(page, $"**/journeys/{journey}");
        Assert.Equal("Missed appointment recorded", await DoneAsync(page));
        Assert.Equal([Today.PlusDays(-1)], (await Api.JourneyAsync(journey)).AppointmentsMissed);
        Assert.Contains("missed 22 November 2026", await page.ContentAsync(), StringComparison.Ordinal);

        await Api.RecordAsync(journey, "community-treatment-start", JourneyApi.TreatmentStart(Today.PlusDays(-2)));
        await page.ReloadAsync();
        Assert.Equal(
            [
                "Acknowledge, decline or book an appointment",
                "Record a missed appointment",
                "Record the end of treatment"],
            await ActionsAsync(page));
        await page.ClickAsync("a:has-text('Record the end of treatment')");
        await Browser.WaitForAddressAsync(page, $"**/journeys/{journey}/treatment-end");
        await FillDateAsync(page, "ended-on", Today.PlusDays(1));
        await Browser.SubmitAsync(page, "Record end of treatment");
        var invalid = await Problem.AssertAsync(
            await Api.PostAsync(journey, "treatment-end", new { endedOn = Iso(Today.PlusDays(1)) }),
            HttpStatusCode.BadRequest, "endedOn");
        Assert.Equal(
            [
                $"Date treatment ended {Message(invalid, "endedOn")}",
                $"Why treatment ended {Message(invalid, "reason")}"],
            await SummaryAsync(page));

        // A 409 from the rule: the end would be before the treatment started.
        await FillDateAsync(page, "ended-on", Today.PlusDays(-3));
        await page.CheckAsync("input[name=Reason][value=Completed]");
        await Browser.SubmitAsync(page, "Record end of treatment");
        var contradiction = await Problem.AssertAsync(
            await Api.PostAsync(
                journey, "treatment-end", new { endedOn = Iso(Today.PlusDays(-3)), reason = "completed" }),
            HttpStatusCode.Conflict, "endedOn");
        Assert.Equal([$"Date treatment ended {Detail(contradiction, "endedOn")}"], await SummaryAsync(page));
        Assert.True(await page.IsCheckedAsync("input[name=Reason][value=Completed]"));
        await Browser.AssertAccessibleAsync(page);
        await Browser.ScreenshotAsync(page, "provider-treatment-end-form");

        await FillDateAsync(page, "ended-on", Today);
        await Browser.SubmitAsync(page, "Record end of treatment");
        await Browser.WaitForAddressAsync(page, $"**/journeys/{journey}");
        Assert.Equal("End of treatment recorded", await DoneAsync(page));
        Assert.Equal("Treatment ended", (await page.InnerTextAsync("#stage")).Trim());
        Assert.Equal(
            new TreatmentEnding(Today, TreatmentEndReason.Completed),
            (await Api.JourneyAsync(journey)).TreatmentEnding);
        Assert.Equal(
            ["Acknowledge, decline or book an appointment", "Record a missed appointment"], await ActionsAsync(page));
        await Browser.AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task An_unknown_page_or_journey_is_page_not_found_while_the_api_keeps_its_problem()
    {
        var page = await Browser.SignedInAsync(Service.Address, "prison", "LEI", "/releases-due");
        foreach (var path in new[]
        {
            "/no-such-page", $"/journeys/{Guid.NewGuid()}", $"/journeys/{Guid.NewGuid()}/release",
            "/journeys/not-a-journey",
        })
        {
            var response = await page.GotoAsync(path);
            Assert.Equal((int)HttpStatusCode.NotFound, response!.Status);
            Assert.Equal("Page not found", (await page.InnerTextAsync("h1")).Trim());
            Assert.Equal("Page not found - Continuity of care", await page.TitleAsync());
        }

        await Browser.AssertAccessibleAsync(page);
        await Browser.ScreenshotAsync(page, "page-not-found");

        // Signed out, an unknown page is not found either (not a sign-in).
        var anonymous = await (await Browser.NewContextAsync(Service.Address)).NewPageAsync();
        Assert.Equal((int)HttpStatusCode.NotFound, (await anonymous.GotoAsync("/no-such-page"))!.Status);
        Assert.Equal("Page not found", (await anonymous.InnerTextAsync("h1")).Trim());

        // The API, and any client that does not ask for a page or brings a bearer token, keeps problem+json.
        var html = Service.ClientAs(null);
        html.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        await Problem.AssertAsync(await html.GetAsync("/api/v1/nothing"), HttpStatusCode.NotFound);
        await Problem.AssertAsync(await Service.ClientAs(null).GetAsync("/no-such-page"), HttpStatusCode.NotFound);
        var bearer = Service.ClientAs(ServiceFactory.Token("prison", "LEI"));
        bearer.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        await Problem.AssertAsync(await bearer.GetAsync("/no-such-page"), HttpStatusCode.NotFound);
        await Problem.AssertAsync(
            await bearer.GetAsync($"/api/v1/journeys/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
    }

    private static Task FillDateAsync(IPage page, string field, LocalDate date) =>
        FillDateAsync(page, field, $"{date.Day}", $"{date.Month}", $"{date.Year}");

    private static async Task FillDateAsync(IPage page, string field, string day, string month, string year)
    {
        await page.FillAsync($"#{field}-day", day);
        await page.FillAsync($"#{field}-month", month);
        await page.FillAsync($"#{field}-year", year);
    }

    private static async Task<string[]> DateAsync(IPage page, string field) =>
    [
        await page.InputValueAsync($"#{field}-day"), await page.InputValueAsync($"#{field}-month"),
        await page.InputValueAsync($"#{field}-year"),
    ];

    private static async Task<IReadOnlyList<string>> ActionsAsync(IPage page) =>
        (await page.Locator("#actions a").AllInnerTextsAsync()).Select(a => a.Trim()).ToList();

    private static async Task<IReadOnlyList<string>> SummaryAsync(IPage page) =>
        await page.Locator(".govuk-error-summary__list a").AllInnerTextsAsync();

    private static async Task<string> DoneAsync(IPage page) =>
        (await page.InnerTextAsync("#done .govuk-notification-banner__heading")).Trim();

    private static async Task<string> ErrorAsync(IPage page, string field) =>
        (await page.TextContentAsync($"#{field}-error"))!.Trim();

    private static string Iso(LocalDate date) => date.ToString("uuuu-MM-dd", null);

    /// <summary>A 400's message for a field.</summary>
    private static string Message(JsonElement problem, string field) =>
        problem.GetProperty("errors").GetProperty(field)[0].GetString()!;

    /// <summary>A 409's message: its detail is "field: message".</summary>
    private static string Detail(JsonElement problem, string field) =>
        problem.GetProperty("detail").GetString()![$"{field}: ".Length..];
}
