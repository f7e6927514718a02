using System.Net;
using System.Text.Json;
using ContinuityOfCare.Journeys.Handover;
using ContinuityOfCare.Tests.Support;
using Microsoft.Playwright;
using NodaTime;

namespace ContinuityOfCare.Tests.Screens;

/// <summary>
/// The forms in a real browser: a provider answers a handover and records the pickup, a prison team opens a journey
/// and records its release, each with the API's rules and messages (a 400 or 409 becomes the GOV.UK error summary and
/// the message on its field), and the figures move as they do through the API.
/// </summary>
[Collection(ScreensCollection.Name)]
public sealed class FormScreenTests(PostgresCluster postgres, Browser browser)
    : ScreenTests(postgres, browser)
{
    private static readonly LocalDate Today = new(2026, 11, 23);

    [Fact]
    public async Task A_provider_acknowledges_a_handover_and_records_the_pickup_and_the_figures_move()
    {
        var journey = await Api.OpenAsync(JourneyApi.Registration("LEI-2026-0301", personRef: "P-4H6J"));
        Assert.Equal(
            HttpStatusCode.OK, (await Api.ReleaseAsync(journey, JourneyApi.Release(Today.PlusDays(-3)))).StatusCode);
        Assert.Equal(0, (await FiguresAsync()).GetProperty("engaged").GetInt32());

        var page = await Browser.SignedInAsync(Service.Address, "provider", "FORWARD-LEEDS", "/handovers");
        await page.ClickAsync($"tr[data-journey='{journey}'] a");
        await page.ClickAsync("a:has-text('Acknowledge, decline or book an appointment')");
        await Browser.WaitForAddressAsync(page, $"**/journeys/{journey}/handover");

        // A 409 from the rule: an appointment before the handover is acknowledged.
        await FillDateAsync(page, "appointment-on", Today.PlusDays(2));
        await Browser.SubmitAsync(page, "Book appointment");
        var refused = await Problem.AssertAsync(
            await Api.PostAsync(journey, "appointment", new { appointmentOn = Iso(Today.PlusDays(2)) }),
            HttpStatusCode.Conflict,
            "appointmentOn");
        // The API's detail is "field: message"; the form puts the message after the field's label.
        var message = $"Appointment date {refused.GetProperty("detail").GetString()!["appointmentOn: ".Length..]}";
        Assert.Equal([message], await page.Locator(".govuk-error-summary__list a").AllInnerTextsAsync());
        Assert.Equal("#appointment-on-day", await page.GetAttributeAsync(".govuk-error-summary__list a", "href"));
        Assert.Equal("Error: " + message, await ErrorAsync(page, "appointment-on"));
        Assert.StartsWith("Error: ", await page.TitleAsync(), StringComparison.Ordinal);
        await Browser.AssertAccessibleAsync(page);
        await Browser.ScreenshotAsync(page, "provider-handover-form");

        // A 400 from the request's own checks: an impossible date gets the API's message for a malformed one.
        await FillDateAsync(page, "first-appointment-on", "31", "2", "2027");
        await Browser.SubmitAsync(page, "Acknowledge handover");
        Assert.Equal(
            ["First appointment must be a date as YYYY-MM-DD"],
            await page.Locator(".govuk-error-summary__list a").AllInnerTextsAsync());

        Assert.Equal(
            "#first-appointment-on-day", await page.GetAttributeAsync(".govuk-error-summary__list a", "href"));
        Assert.Equal(3, await page.Locator("#first-appointment-on .govuk-input--error").CountAsync());
        Assert.Equal("31", await page.InputValueAsync("#first-appointment-on-day"));
        await Browser.AssertAccessibleAsync(page);

        // Keyboard only: from the error summary's link into the day box, then day, month and year, tab to the
        // button, Enter.
        await page.FocusAsync(".govuk-error-summary__list a");
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("first-appointment-on-day", await page.EvaluateAsync<string>("document.activeElement.id"));
        foreach (var part in new[] { "26", "11", "2026" })
        {
            await page.Keyboard.PressAsync("Control+A");
            await page.Keyboard.TypeAsync(part);
            await page.Keyboard.PressAsync("Tab");
        }

        Assert.Equal(
            "Acknowledge handover", (await page.EvaluateAsync<string>("document.activeElement.textContent")).Trim());
        await page.Keyboard.PressAsync("Enter");
        await Browser.WaitForAddressAsync(page, $"**/journeys/{journey}");
        Assert.Equal(
            "Handover acknowledged", (await page.InnerTextAsync("#done .govuk-notification-banner__heading")).Trim());
        Assert.Contains(
            "FORWARD-LEEDS: Acknowledged, first appointment 26 November 2026",
            await page.ContentAsync(),
            StringComparison.Ordinal);
        Assert.Contains(
            "handover acknowledged",
            (await page.Locator("#table-history tbody tr").AllInnerTextsAsync())[^1],
            StringComparison.Ordinal);

        await page.ClickAsync("a:has-text('Record the treatment start')");
        await Browser.WaitForAddressAsync(page, $"**/journeys/{journey}/treatment-start");
        await FillDateAsync(page, "started-on", Today.PlusDays(-1));
        await Browser.AssertAccessibleAsync(page);
        await Browser.ScreenshotAsync(page, "provider-treatment-start-form");
        await Browser.SubmitAsync(page, "Record treatment start");
        await Browser.WaitForAddressAsync(page, $"**/journeys/{journey}");
        Assert.Equal(
            "Treatment start recorded",
            (await page.InnerTextAsync("#done .govuk-notification-banner__heading")).Trim());
        Assert.Contains("22 November 2026, day 2", await page.InnerTextAsync("#window"), StringComparison.Ordinal);
        await Browser.AssertAccessibleAsync(page);

        Assert.Equal(2, (await Api.JourneyAsync(journey)).Continuity!.DaysFromReleaseToPickup);
        var figures = await FiguresAsync();
        Assert.Equal((1, 1), (figures.GetProperty("released").GetInt32(), figures.GetProperty("engaged").GetInt32()));

        // Signed in, but without the form's anti-forgery token: refused, and nothing is written.
        var forged = await page.APIRequest.PostAsync(
            $"/journeys/{journey}/handover?handler=Appointment",
            new()
            {
                Form = page.APIRequest.CreateFormData()
                    .Set("AppointmentOn.Day", "28").Set("AppointmentOn.Month", "11").Set("AppointmentOn.Year", "2026"),
            });
        Assert.Equal((int)HttpStatusCode.BadRequest, forged.Status);
        Assert.Empty((await Api.JourneyAsync(journey)).AppointmentsBooked);

        // Another provider's forms are refused, as the API refuses its commands.
        var other = await Browser.SignedInAsync(Service.Address, "provider", "CGL", "/handovers");
        await other.GotoAsync($"/journeys/{journey}/treatment-start");
        Assert.Contains("/access-denied", other.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_provider_declines_a_handover_with_a_reason_and_no_longer_sees_it()
    {
        var journey = await Api.OpenAsync(JourneyApi.Registration("LEI-2026-0302", personRef: "P-2C5L"));
        Assert.Equal(
            HttpStatusCode.OK, (await Api.ReleaseAsync(journey, JourneyApi.Release(Today.PlusDays(-1)))).StatusCode);
        var page = await Browser.SignedInAsync(Service.Address, "provider", "FORWARD-LEEDS", "/handovers");
        await page.GotoAsync($"/journeys/{journey}/handover");

        await Browser.SubmitAsync(page, "Decline handover");
        var missing = await Problem.AssertAsync(
            await Api.PostAsync(journey, "handover-decline", new { }), HttpStatusCode.BadRequest, "reason");
        Assert.Equal(
            [$"Reason {Message(missing.GetProperty("errors"), "reason")}"],
            await page.Locator(".govuk-error-summary__list a").AllInnerTextsAsync());
        Assert.Equal("#reason", await page.GetAttributeAsync(".govuk-error-summary__list a", "href"));
        await Browser.AssertAccessibleAsync(page);

        await page.CheckAsync("#reason-NoCapacity");
        await Browser.SubmitAsync(page, "Decline handover");
        // Declined, the journey is no longer the provider's: back to their handovers, where it no longer is.
        Assert.EndsWith("/handovers", page.Url, StringComparison.Ordinal);
        Assert.Equal(
            "Handover declined", (await page.InnerTextAsync("#done .govuk-notification-banner__heading")).Trim());
        Assert.Equal(0, await page.Locator($"tr[data-journey='{journey}']").CountAsync());
        await Browser.AssertAccessibleAsync(page);
        var handover = (await Api.JourneyAsync(journey)).Handover!;
        Assert.Equal(DeclineReason.NoCapacity, handover.DeclineReason);
    }

    [Fact]
    public async Task A_prison_team_opens_a_journey_and_records_its_release()
    {
        var page = await Browser.SignedInAsync(Service.Address, "prison", "LEI", "/releases-due");
        await page.ClickAsync("#open-journey");
        await Browser.WaitForAddressAsync(page, "**/journeys/new");
        Assert.Equal("LEI", await page.InputValueAsync("#prison-code"));
        await page.FillAsync("#journey-ref", "LEI-2026-0401");
        await page.CheckAsync("#sex-Male");
        await page.CheckAsync("#substance-group");
        await FillDateAsync(page, "custody-treatment-started-on", Today.PlusDays(1));
        await Browser.SubmitAsync(page, "Open journey");

        // The API's messages for the same request, on the same fields.
        var invalid = await Problem.AssertAsync(await Api.RegisterAsync(new
        {
            journeyRef = "LEI-2026-0401", prisonCode = "LEI", sex = "male", substanceGroup = "opiate",
            custodyTreatmentStartedOn = Iso(Today.PlusDays(1)),
        }), HttpStatusCode.BadRequest, "personRef");
        var errors = invalid.GetProperty("errors");
        Assert.Equal(
            [
                $"Person reference {Message(errors, "personRef")}",
                $"Treatment in custody from {Message(errors, "custodyTreatmentStartedOn")}"],
            await page.Locator(".govuk-error-summary__list a").AllInnerTextsAsync());
        Assert.Equal($"Error: Person reference {Message(errors, "personRef")}", await ErrorAsync(page, "person-ref"));
        Assert.True(await page.IsCheckedAsync("#sex-Male"));
        await Browser.AssertAccessibleAsync(page);
        await Browser.ScreenshotAsync(page, "prison-open-journey-form");

        await page.FillAsync("#person-ref", "P-8N3V");
        await FillDateAsync(page, "custody-treatment-started-on", new LocalDate(2026, 9, 1));
        await Browser.SubmitAsync(page, "Open journey");
        await Browser.WaitForAddressAsync(page, new System.Text.RegularExpressions.Regex("/journeys/[0-9a-f-]{36}$"));
        Assert.Equal(
            "Journey opened", (await page.InnerTextAsync("#done .govuk-notification-banner__heading")).Trim());
        var journey = Guid.Parse(page.Url[^36..]);
        Assert.Equal("P-8N3V", (await Api.JourneyAsync(journey)).PersonRef);

        await page.ClickAsync("a:has-text('Record the release')");
        await Browser.WaitForAddressAsync(page, $"**/journeys/{journey}/release");
        await FillDateAsync(page, "released-on", Today.PlusDays(1));
        await page.CheckAsync("#release-type-Licence");
        await page.FillAsync("#destination-local-authority", "E08000035");
        await page.FillAsync("#community-provider", "FORWARD-LEEDS");
        await Browser.SubmitAsync(page, "Record release");
        var future = await Problem.AssertAsync(
            await Api.ReleaseAsync(journey, JourneyApi.Release(Today.PlusDays(1))),
            HttpStatusCode.BadRequest,
            "releasedOn");
        Assert.Equal(
            $"Error: Release date {Message(future.GetProperty("errors"), "releasedOn")}",
            await ErrorAsync(page, "released-on"));
        Assert.Equal("#released-on-day", await page.GetAttributeAsync(".govuk-error-summary__list a", "href"));
        await Browser.AssertAccessibleAsync(page);
        await Browser.ScreenshotAsync(page, "prison-release-form");

        await FillDateAsync(page, "released-on", Today);
        await Browser.SubmitAsync(page, "Record release");
        await Browser.WaitForAddressAsync(page, $"**/journeys/{journey}");
        Assert.Equal(
            "Release recorded", (await page.InnerTextAsync("#done .govuk-notification-banner__heading")).Trim());
        Assert.Equal("Released", (await page.InnerTextAsync("#stage")).Trim());
        var view = await Api.JourneyAsync(journey);
        Assert.Equal(Today, view.Release!.ReleasedOn);

        // A provider cannot use the prison's form.
        var provider = await Browser.SignedInAsync(Service.Address, "provider", "FORWARD-LEEDS", "/handovers");
        await provider.GotoAsync($"/journeys/{journey}/release");
        Assert.Contains("/access-denied", provider.Url, StringComparison.Ordinal);
    }

    /// <summary>Types a date into a GOV.UK date input's day, month and year boxes.</summary>
    private static Task FillDateAsync(IPage page, string field, LocalDate date) =>
        FillDateAsync(page, field, $"{date.Day}", $"{date.Month}", $"{date.Year}");

    private static async Task FillDateAsync(IPage page, string field, string day, string month, string year)
    {
        await page.FillAsync($"#{field}-day", day);
        await page.FillAsync($"#{field}-month", month);
        await page.FillAsync($"#{field}-year", year);
    }

    /// <summary>The message beside a field, as a screen reader reads it ("Error: " is visually hidden).</summary>
    private static async Task<string> ErrorAsync(IPage page, string field) =>
        (await page.TextContentAsync($"#{field}-error"))!.Trim();

    private static string Iso(LocalDate date) => date.ToString("uuuu-MM-dd", null);

    private static string Message(JsonElement errors, string field) => errors.GetProperty(field)[0].GetString()!;

    /// <summary>November's figures as an analyst with unsuppressed figures sees them through the API.</summary>
    private async Task<JsonElement> FiguresAsync()
    {
        await Service.CatchUpAsync();
        var analyst = new JourneyApi(
            Service.ClientAs(ServiceFactory.Token("analyst", "OHID", "figures:unsuppressed")));
        return (await analyst.GetJsonAsync("/api/v1/continuity?from=2026-11-01&to=2026-11-30&unsuppressed=true"))
            .GetProperty("total");
    }
}
