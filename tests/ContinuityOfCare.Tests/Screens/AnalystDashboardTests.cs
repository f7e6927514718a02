using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using ContinuityOfCare.Tests.Support;
using Microsoft.Playwright;
using NodaTime;

namespace ContinuityOfCare.Tests.Screens;

/// <summary>
/// The analyst dashboard in a real browser, on the real service listening on a socket: what an analyst sees is what
/// the API answers, small groups show as suppressed, the CSV is the figures shown, and no journey can be traced.
/// </summary>
[Collection(ScreensCollection.Name)]
public sealed class AnalystDashboardTests(PostgresCluster postgres, Browser browser)
    : ScreenTests(postgres, browser)
{
    private const string FinancialYear = "financial-year:2025-26";
    private const string Figures = "from=2025-04-01&to=2026-03-31";

    private readonly List<(Guid Id, string JourneyRef, string PersonRef)> _journeys = [];

    [Fact]
    public async Task
        An_analyst_picks_a_financial_year_and_a_breakdown_and_sees_the_figures_the_API_gives_small_groups_suppressed()
    {
        await SeedAsync();
        var page = await AnalystAsync();

        await page.SelectOptionAsync("#period", FinancialYear);
        await page.SelectOptionAsync("#by", "prison");
        await page.ClickAsync("#show-figures");

        Assert.Contains("period=financial-year%3A2025-26", page.Url, StringComparison.Ordinal);
        Assert.Equal("Continuity rate by prison", (await page.InnerTextAsync("#by-group")).Trim());
        var byPrison = await ApiAsync($"/api/v1/continuity?{Figures}&by=prison");
        Assert.Equal(
            Percent(byPrison.GetProperty("total").GetProperty("rate")),
            (await page.InnerTextAsync("#total-rate span")).Trim());
        Assert.Equal("Final", (await page.InnerTextAsync("#final-flag")).Trim());
        await AssertContinuityRowsAsync(page, "#table-by-group", byPrison);

        // HUL (2 releases) and DUR (3) are under the threshold of 5, in the table and the chart; LEI and WYI are
        // shown.
        Assert.Equal(
            ["DUR", "HUL"],
            byPrison.GetProperty("groups").EnumerateArray()
                .Where(g => g.GetProperty("suppressed").GetBoolean())
                .Select(g => g.GetProperty("key").GetString()));
        foreach (var prison in new[] { "HUL", "DUR" })
        {
            Assert.Equal(
                ["Suppressed", ""], (await CellsAsync(page, $"#table-by-group tr[data-key='{prison}']")).Skip(1));
        }

        Assert.Equal(2, await page.Locator("#chart-by-group rect.bar.suppressed").CountAsync());
        Assert.Equal(2, await page.Locator("#chart-by-group rect.bar:not(.suppressed)").CountAsync());
        await AssertContinuityRowsAsync(
            page, "#table-monthly", await ApiAsync($"/api/v1/continuity?{Figures}&by=month"));

        var pickup = (await ApiAsync($"/api/v1/continuity/time-to-pickup?{Figures}")).GetProperty("total");
        foreach (var day in pickup.GetProperty("days").EnumerateArray())
        {
            var cells = await CellsAsync(
                page, $"#table-pickup tbody tr:nth-child({day.GetProperty("day").GetInt32() + 1})");
            Assert.Equal(
                [
                    $"{day.GetProperty("day")}",
                    $"{day.GetProperty("pickedUp")}",
                    $"{day.GetProperty("pickedUpByThen")}",
                    Percent(day.GetProperty("shareByThen"))],
                cells);
        }

        var retention = await ApiAsync($"/api/v1/retention?{Figures}&by=prison");
        foreach (var group in retention.GetProperty("groups").EnumerateArray().Prepend(retention.GetProperty("total")))
        {
            var cells = await CellsAsync(
                page, $"#table-retention tr[data-key='{group.GetProperty("key").GetString()}']");
            Assert.Equal(
                group.GetProperty("suppressed").GetBoolean()
                    ? ["Suppressed"]
                    : [$"{group.GetProperty("engagedInWindow")}", $"{group.GetProperty("retained")}",
                        $"{group.GetProperty("notRetained")}", $"{group.GetProperty("pending")}",
                        Percent(group.GetProperty("rate"))],
                cells.Skip(1));
        }

        await Browser.AssertAccessibleAsync(page);
        await Browser.ScreenshotAsync(page, "analyst-dashboard", height: 1600);
        await Browser.ScreenshotAsync(page, "analyst-dashboard-full");
    }

    [Fact]
    public async Task The_CSV_download_is_the_figures_shown_with_what_was_asked_and_the_APIs_own_tables()
    {
        await SeedAsync();
        var page = await AnalystAsync($"/analyst?period={FinancialYear}&by=prison");

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#download-csv"));
        Assert.Equal("continuity-2025-04-01-to-2026-03-31-by-prison-as-of-2026-11-23.csv", download.SuggestedFilename);
        var bytes = await File.ReadAllBytesAsync((await download.PathAsync())!);
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);

        var sections = Encoding.UTF8.GetString(bytes[3..]).Split("\n\n");
        Assert.Equal(
            "report,Continuity of care: analyst figures\nfrom,2025-04-01\nto,2026-03-31\n" +
            "by,prison\nasOf,2026-11-23\nfinal,true\n" +
            "retentionFinal,true\nsuppressionThreshold,5\nwindowDays,21\nretentionDays,84",
            sections[0]);
        Assert.Equal(
            "table,continuity by month\n" + await ApiCsvAsync($"/api/v1/continuity?{Figures}&by=month"),
            sections[1] + "\n");
        Assert.Equal(
            "table,continuity by prison\n" + await ApiCsvAsync($"/api/v1/continuity?{Figures}&by=prison"),
            sections[2] + "\n");
        Assert.Equal(
            "table,time to pickup\n" + await ApiCsvAsync($"/api/v1/continuity/time-to-pickup?{Figures}"),
            sections[3] + "\n");
        Assert.Equal(
            "table,retention by prison\n" + await ApiCsvAsync($"/api/v1/retention?{Figures}&by=prison"),
            sections[4] + "\n");
        var estimate = (await ApiAsync($"/api/v1/continuity/time-to-pickup?{Figures}"))
            .GetProperty("total").GetProperty("estimate");
        var lines = sections[5].TrimEnd().Split('\n');
        Assert.Equal(
            [
                "table,time to pickup counting those still pending (Kaplan-Meier with a 95% Greenwood log-log band)",
                "day,atRisk,pickedUp,censored,share,lower,upper"],
            lines[..2]);
        Assert.Equal(
            estimate.GetProperty("days").EnumerateArray().Select(d => string.Join(
                ',',
                d.EnumerateObject().Select(p => p.Value.ValueKind == JsonValueKind.Null ? "" : p.Value.GetRawText()))),
            lines[2..]);
        Assert.Equal(
            "table,lapse reasons by prison\n"
                + await ApiCsvAsync($"/api/v1/continuity/lapse-reasons?{Figures}&by=prison"),
            sections[6]);
        Assert.Equal(7, sections.Length); // no two-way table asked for
        AssertNothingIdentifies(Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public async Task An_analyst_sees_a_two_way_table_and_the_pickup_estimate_with_its_band_as_the_API_gives_them()
    {
        await SeedAsync();
        // The period as the API's shorthand, typed in the address: the picker shows it as its own choice.
        var page = await AnalystAsync("/analyst?period=2025-26&by=prison&across=quarter");
        Assert.Equal(FinancialYear, await page.InputValueAsync("#period"));
        Assert.Equal("quarter", await page.InputValueAsync("#across"));

        var table = await ApiAsync("/api/v1/continuity?period=2025-26&by=prison,quarter");
        var columns = table.GetProperty("columns").EnumerateArray().ToList();
        Assert.Equal(
            columns.Select(c => c.GetProperty("key").GetString()!).Prepend("Prison").Append("All"),
            (await page.Locator("#table-two-way thead th").AllInnerTextsAsync()).Select(t => t.Trim()));
        var rows = table.GetProperty("cells").EnumerateArray()
            .Zip(
                table.GetProperty("groups").EnumerateArray(),
                (row, total) => (
                    Key: row.GetProperty("key").GetString()!,
                    Label: Label(total),
                    Entries: row.GetProperty("columns").EnumerateArray().Append(total)))
            .Append(("All", "All", columns.Append(table.GetProperty("total"))));
        var suppressed = 0;
        foreach (var (key, label, entries) in rows)
        {
            var expected = entries.Select(e =>
            {
                if (e.GetProperty("suppressed").GetBoolean())
                {
                    suppressed++;
                    return "Suppressed";
                }

                var known = e.GetProperty("engaged").GetInt32() + e.GetProperty("engagedLate").GetInt32()
                    + e.GetProperty("notEngaged").GetInt32();
                return $"{Percent(e.GetProperty("rate"))} of {known}";
            });
            Assert.Equal(expected.Prepend(label), await CellsAsync(page, $"#table-two-way tr[data-key='{key}']"));
        }

        Assert.True(suppressed >= 4, $"{suppressed} suppressed"); // HUL and DUR are small in every quarter

        var estimate = (await ApiAsync("/api/v1/continuity/time-to-pickup?period=2025-26"))
            .GetProperty("total").GetProperty("estimate");
        foreach (var day in estimate.GetProperty("days").EnumerateArray())
        {
            var cells = await CellsAsync(
                page, $"#table-pickup-estimate tbody tr:nth-child({day.GetProperty("day").GetInt32() + 1})");
            Assert.Equal(
                [$"{day.GetProperty("day")}", $"{day.GetProperty("atRisk")}", $"{day.GetProperty("pickedUp")}",
                    $"{day.GetProperty("censored")}", Percent(day.GetProperty("share")),
                    day.GetProperty("lower").ValueKind == JsonValueKind.Null
                        ? "–"
                        : $"{Percent(day.GetProperty("lower"))} to {Percent(day.GetProperty("upper"))}"],
                cells);
        }

        Assert.Equal(1, await page.Locator("#chart-pickup-estimate polygon.band").CountAsync());
        await Browser.AssertAccessibleAsync(page);
        await Browser.ScreenshotAsync(page, "analyst-two-way-and-estimate");
    }

    [Fact]
    public async Task No_page_an_analyst_sees_holds_a_journey_or_person_reference()
    {
        await SeedAsync();
        var page = await AnalystAsync();
        foreach (var url in new[]
        {
            "/", $"/analyst?period={FinancialYear}&by=prison",
            "/analyst?period=range&from=2025-01-01&to=2026-11-23&by=month",
        })
        {
            await page.GotoAsync(url);
            AssertNothingIdentifies(await page.ContentAsync());
        }

        foreach (var by in new[]
        {
            "localAuthority", "provider", "substanceGroup", "sex", "ageBand", "releaseType", "noFixedAbode",
            "naloxone", "metAtGate", "quarter", "financialYear",
        })
        {
            Assert.Equal(200, (await page.GotoAsync($"/analyst?period={FinancialYear}&by={by}"))!.Status);
            AssertNothingIdentifies(await page.ContentAsync());
        }
    }

    [Fact]
    public async Task The_form_works_from_the_keyboard_alone()
    {
        var page = await AnalystAsync();

        // The skip link comes first and takes focus past the header to the page itself.
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal(
            "Skip to main content",
            await page.EvaluateAsync<string>("() => document.activeElement.textContent.trim()"));
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("main-content", await page.EvaluateAsync<string>("() => document.activeElement.id"));

        var order = new List<string>();
        for (var press = 0; press < 20 && !order.Contains("show-figures"); press++)
        {
            await page.Keyboard.PressAsync("Tab");
            var id = await page.EvaluateAsync<string>("() => document.activeElement.id");
            if (order.LastOrDefault() != id)
            {
                order.Add(id);
            }

            // Chosen with the arrow keys: the financial year before this one, and the sixth breakdown (sex).
            if (id == "period" && order.Count(i => i == "period") == 1)
            {
                await page.Keyboard.PressAsync("ArrowDown");
            }
            else if (id == "by" && order.Count(i => i == "by") == 1)
            {
                for (var down = 0; down < 5; down++)
                {
                    await page.Keyboard.PressAsync("ArrowDown");
                }
            }
        }

        Assert.Equal(
            ["period", "from-day", "from-month", "from-year", "to-day", "to-month", "to-year", "by", "across",
                "as-of-day", "as-of-month", "as-of-year", "show-figures"],
            order);
        Assert.Equal(
            [FinancialYear, "sex"], [await page.InputValueAsync("#period"), await page.InputValueAsync("#by")]);
        await page.Keyboard.PressAsync("Enter");
        await Browser.WaitForAddressAsync(page, "**by=sex**");
        Assert.Contains(FinancialYear.Replace(":", "%3A"), page.Url, StringComparison.Ordinal);
        Assert.Equal("Continuity rate by sex", (await page.InnerTextAsync("#by-group")).Trim());
    }

    [Fact]
    public async Task A_range_is_typed_day_month_year_and_an_impossible_date_is_named_in_the_error_summary()
    {
        var page = await AnalystAsync();
        await page.SelectOptionAsync("#period", "range");
        foreach (var (box, value) in new[]
        {
            ("from-day", "1"), ("from-month", "4"), ("from-year", "2025"), ("to-day", "31"), ("to-month", "2"),
            ("to-year", "2026"),
        })
        {
            await page.FillAsync($"#{box}", value);
        }

        await page.ClickAsync("#show-figures");
        await page.WaitForSelectorAsync(".govuk-error-summary");
        Assert.Equal(
            [$"To {ContinuityOfCare.Http.Fields.NotADate}"],
            await page.Locator(".govuk-error-summary__list a").AllInnerTextsAsync());
        Assert.Equal("#to-day", await page.GetAttributeAsync(".govuk-error-summary__list a", "href"));
        Assert.Equal("31", await page.InputValueAsync("#to-day"));
        Assert.Equal(3, await page.Locator("#to .govuk-input--error").CountAsync());
        await Browser.AssertAccessibleAsync(page);

        await page.FillAsync("#to-month", "3");
        await page.ClickAsync("#show-figures");
        await page.WaitForSelectorAsync("#summary");
        Assert.Contains(
            "Releases from 1 April 2025 to 31 March 2026",
            await page.InnerTextAsync("#summary"),
            StringComparison.Ordinal);
        Assert.Equal(["1", "4", "2025"], new[]
        {
            await page.InputValueAsync("#from-day"), await page.InputValueAsync("#from-month"),
            await page.InputValueAsync("#from-year"),
        });
    }

    [Fact]
    public async Task A_page_without_a_session_goes_to_sign_in_while_the_API_still_answers_401()
    {
        var context = await Browser.NewContextAsync(Service.Address);
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync("/analyst");
        Assert.EndsWith("/sign-in?ReturnUrl=%2Fanalyst", page.Url, StringComparison.Ordinal);
        Assert.Equal(200, response!.Status);
        await Browser.AssertAccessibleAsync(page);
        await Browser.ScreenshotAsync(page, "sign-in");

        var api = await context.APIRequest.GetAsync($"/api/v1/continuity?{Figures}", new() { MaxRedirects = 0 });
        Assert.Equal(401, api.Status);
        Assert.StartsWith("application/problem+json", api.Headers["content-type"], StringComparison.Ordinal);
        var noSession = await Service.ClientAs(null).GetAsync("/analyst");
        Assert.Equal(HttpStatusCode.Redirect, noSession.StatusCode);

        // Signing in from there returns to the page asked for.
        await Browser.SignInAsync(page, "analyst", "LEEDS-PUBLIC-HEALTH");
        await Browser.WaitForAddressAsync(page, "**/analyst");
        Assert.Equal("Continuity figures", (await page.InnerTextAsync("h1")).Trim());
    }

    [Fact]
    public async Task The_sign_in_form_says_what_is_missing_and_another_role_is_refused_the_dashboard()
    {
        var context = await Browser.NewContextAsync(Service.Address);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/sign-in");
        await page.ClickAsync("button:has-text('Sign in')");
        Assert.Equal("There is a problem", (await page.InnerTextAsync(".govuk-error-summary__title")).Trim());
        Assert.StartsWith("Error:", await page.TitleAsync(), StringComparison.Ordinal);
        Assert.Equal(["Role must be chosen", "Organisation is required: every role acts for one"],
            await page.Locator(".govuk-error-summary__list a").AllInnerTextsAsync());
        await Browser.AssertAccessibleAsync(page);

        await Browser.SignInAsync(page, "prison", "LEI");
        await page.GotoAsync("/analyst");
        Assert.EndsWith("/access-denied?ReturnUrl=%2Fanalyst", page.Url, StringComparison.Ordinal);
        Assert.Equal("You cannot see this page", (await page.InnerTextAsync("h1")).Trim());
        await Browser.AssertAccessibleAsync(page);
        await Browser.ScreenshotAsync(page, "access-denied");

        // Signing out ends the session: the dashboard asks for sign-in again.
        await page.ClickAsync("button:has-text('Sign out')");
        await page.GotoAsync("/analyst");
        Assert.Contains("/sign-in", page.Url, StringComparison.Ordinal);
    }

    /// <summary>
    /// Releases in financial year 2025-26, five in each month, at four prisons: LEI 33 and WYI 22 (shown), HUL 2 and
    /// DUR 3 (suppressed); most picked up within the window, some late, some never.
    /// </summary>
    private async Task SeedAsync()
    {
        var prisons = Enumerable.Repeat("LEI", 33).Concat(Enumerable.Repeat("WYI", 22))
            .Concat(["HUL", "HUL", "DUR", "DUR", "DUR"]).ToList();
        (Guid, string, string)[] journeys = [];
        // Racing writes: one tracked session waits for everything they cause.
        await Service.TrackAsync(async () => journeys = await Task.WhenAll(prisons.Select(async (prison, i) =>
        {
            var registration = JourneyApi.Registration(prisonCode: prison);
            var id = await Api.OpenAsync(registration);
            var releasedOn = new LocalDate(2025, 4, 1).PlusMonths(i % 12).PlusDays(i * 7 % 27);
            Assert.Equal(HttpStatusCode.OK, (await Api.ReleaseAsync(id, JourneyApi.Release(releasedOn))).StatusCode);
            if (i % 5 != 0)
            {
                var pickup = releasedOn.PlusDays(i * 3 % 31);
                Assert.Equal(
                    HttpStatusCode.OK,
                    (await Api.StartTreatmentAsync(id, JourneyApi.TreatmentStart(pickup))).StatusCode);
            }

            var fields = JsonSerializer.SerializeToElement(registration);
            return (id, fields.GetProperty("journeyRef").GetString()!, fields.GetProperty("personRef").GetString()!);
        })));
        _journeys.AddRange(journeys);
        await Service.CatchUpAsync();
    }

    private async Task<IPage> AnalystAsync(string url = "/analyst")
    {
        var page = await (await Browser.NewContextAsync(Service.Address)).NewPageAsync();
        await page.GotoAsync(url);
        await Browser.SignInAsync(page, "analyst", "LEEDS-PUBLIC-HEALTH");
        await Browser.WaitForAddressAsync(page, new System.Text.RegularExpressions.Regex("^(?!.*/sign-in)"));
        return page;
    }

    private async Task<JsonElement> ApiAsync(string url)
    {
        var response = await Service.ClientAs(ServiceFactory.Token("analyst", "LEEDS-PUBLIC-HEALTH")).GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    private async Task<string> ApiCsvAsync(string url)
    {
        var client = Service.ClientAs(ServiceFactory.Token("analyst", "LEEDS-PUBLIC-HEALTH"));
        client.DefaultRequestHeaders.Accept.ParseAdd("text/csv");
        return await client.GetStringAsync(url);
    }

    private static async Task AssertContinuityRowsAsync(IPage page, string table, JsonElement report)
    {
        var groups = report.GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(groups.Count, await page.Locator($"{table} tbody tr").CountAsync());
        foreach (var group in groups)
        {
            var cells = await CellsAsync(page, $"{table} tr[data-key='{group.GetProperty("key").GetString()}']");
            if (group.GetProperty("suppressed").GetBoolean())
            {
                Assert.Equal("Suppressed", cells[1]);
                continue;
            }

            var known = group.GetProperty("engaged").GetInt32() + group.GetProperty("engagedLate").GetInt32()
                + group.GetProperty("notEngaged").GetInt32();
            Assert.Equal(
                [
                    Label(group),
                    $"{group.GetProperty("released")}",
                    $"{group.GetProperty("engaged")}",
                    $"{known}",
                    Percent(group.GetProperty("rate"))],
                cells[..5]);
        }
    }

    /// <summary>A group's heading: its key, and the organisation's name after it when the API gives one.</summary>
    private static string Label(JsonElement group) =>
        group.TryGetProperty("name", out var name)
            ? $"{group.GetProperty("key").GetString()} – {name.GetString()}"
            : group.GetProperty("key").GetString()!;

    private static async Task<string[]> CellsAsync(IPage page, string row) =>
        (await page.Locator($"{row} > th, {row} > td").AllInnerTextsAsync()).Select(t => t.Trim()).ToArray();

    /// <summary>A share as the screens write it: a percentage with one decimal, or a dash.</summary>
    private static string Percent(JsonElement share) =>
        share.ValueKind == JsonValueKind.Null
            ? "–"
            : (share.GetDouble() * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private void AssertNothingIdentifies(string text)
    {
        Assert.NotEmpty(_journeys);
        foreach (var (id, journeyRef, personRef) in _journeys)
        {
            Assert.DoesNotContain(id.ToString(), text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(id.ToString("N"), text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(journeyRef, text, StringComparison.Ordinal);
            Assert.DoesNotContain(personRef, text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("journeyId", text, StringComparison.OrdinalIgnoreCase);
    }
}
