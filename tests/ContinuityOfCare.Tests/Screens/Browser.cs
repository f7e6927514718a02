using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace ContinuityOfCare.Tests.Screens;

/// <summary>
/// One Chromium for the screens collection (each test opens its own contexts: cookies and downloads of its own).
/// Debian's chromium-headless-shell, Chromium's headless build (Playwright's own browser download is not reachable
/// here), not the full browser: in the full browser's headless mode each open page kept about a fifth of a core busy
/// while idle, and opening one took four times as long. --no-sandbox because CI runs as root.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium-headless-shell";

    private readonly List<IBrowserContext> _contexts = [];
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Chromium))
        {
            throw new FileNotFoundException(
                $"The browser tests need {Chromium}: apt-get install -y chromium-headless-shell", Chromium);
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Args = ["--no-sandbox"],
        });
    }

    /// <summary>A fresh browser context on the service at <paramref name="address"/>, 1280 pixels wide.</summary>
    public async Task<IBrowserContext> NewContextAsync(Uri address)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = address.ToString(),
            AcceptDownloads = true,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            Locale = "en-GB",
            TimezoneId = "Europe/London",
        });
        lock (_contexts)
        {
            _contexts.Add(context);
        }

        return context;
    }

    /// <summary>Closes every context opened so far: a test's, when it ends.</summary>
    public async Task CloseContextsAsync()
    {
        IBrowserContext[] open;
        lock (_contexts)
        {
            open = [.. _contexts];
            _contexts.Clear();
        }

        // Every one is closed even if closing another fails.
        await Task.WhenAll(open.Select(context => context.CloseAsync()));
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    /// <summary>
    /// Saves a screenshot of the screen under docs/screenshots, for the README (the whole page, or its top), when the
    /// run is asked for them with SCREENSHOTS=1: a test run leaves the source tree as it found it.
    /// </summary>
    public static Task ScreenshotAsync(IPage page, string name, int? height = null) =>
        Environment.GetEnvironmentVariable("SCREENSHOTS") != "1"
            ? Task.CompletedTask
            : page.ScreenshotAsync(new PageScreenshotOptions
            {
                Path = Path.Combine(Screenshots, name + ".png"),
                FullPage = true,
                Clip = height is { } h ? new Clip { X = 0, Y = 0, Width = 1280, Height = h } : null,
            });

    private static string Screenshots
    {
        get
        {
            var folder = new DirectoryInfo(AppContext.BaseDirectory);
            while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "ContinuityOfCare.sln")))
            {
                folder = folder.Parent;
            }

            return Directory.CreateDirectory(Path.Combine(folder?.FullName ?? ".", "docs", "screenshots")).FullName;
        }
    }

    /// <summary>
    /// Runs axe-core (vendored in Screens/axe) on the page as it stands, and fails on any WCAG 2.1 A or AA violation,
    /// naming the rule and the elements.
    /// </summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        await page.AddScriptTagAsync(new PageAddScriptTagOptions
        {
            Path = Path.Combine(AppContext.BaseDirectory, "Screens", "axe", "axe.min.js"),
        });
        var violations = await page.EvaluateAsync<string[]>(
            """
            async () => (await axe.run(
                    document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }))
                .violations.map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).join(', ')})`)
            """);
        Assert.True(violations.Length == 0, $"{page.Url}:\n{string.Join("\n", violations)}");
    }

    /// <summary>
    /// Waits until the page's address matches <paramref name="glob"/> (Playwright's: <c>**</c> any characters,
    /// <c>*</c> any but <c>/</c>), polled by the driver. Not <c>IPage.WaitForURLAsync</c>: its .NET client
    /// checks whether the page has loaded and only then listens for the load, so a load that lands between the two
    /// is missed and the wait times out on a page long loaded (microsoft/playwright-dotnet#3364; seen under load).
    /// </summary>
    public static Task WaitForAddressAsync(IPage page, string glob) => WaitForAddressAsync(page, Pattern(glob));

    /// <summary>The same, for an address in which <paramref name="address"/> is found.</summary>
    public static Task WaitForAddressAsync(IPage page, Regex address) =>
        Assertions.Expect(page).ToHaveURLAsync(address, new() { Timeout = 30_000 });

    private static Regex Pattern(string glob)
    {
        var pattern = new StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            if (glob[i] != '*')
            {
                pattern.Append(Regex.Escape(glob[i].ToString()));
            }
            else if (i + 1 < glob.Length && glob[i + 1] == '*')
            {
                pattern.Append(".*");
                i++;
            }
            else
            {
                pattern.Append("[^/]*");
            }
        }

        return new Regex(pattern.Append('$').ToString());
    }

    /// <summary>A new page on the service at <paramref name="address"/>, signed in and landed.</summary>
    public async Task<IPage> SignedInAsync(Uri address, string role, string organisation, string landing)
    {
        var page = await (await NewContextAsync(address)).NewPageAsync();
        await page.GotoAsync("/sign-in");
        await SignInAsync(page, role, organisation);
        await WaitForAddressAsync(page, "**" + landing);
        return page;
    }

    /// <summary>
    /// Clicks the form's button and waits for the page it answers with: the marker set on this page's body is gone
    /// only once another page has replaced it, whether its address changed or not.
    /// </summary>
    public static async Task SubmitAsync(IPage page, string button)
    {
        await page.EvaluateAsync("document.body.dataset.submitted = 'yes'");
        await page.ClickAsync($"button:has-text('{button}')");
        await page.WaitForSelectorAsync("body:not([data-submitted])");
    }

    /// <summary>Signs in on the development sign-in page, as a person would.</summary>
    public static async Task SignInAsync(IPage page, string role, string organisations)
    {
        if (!page.Url.Contains("/sign-in", StringComparison.Ordinal))
        {
            await page.GotoAsync("/sign-in");
        }

        await page.Locator($"input[name=Role][value={role}]").CheckAsync();
        await page.FillAsync("#organisations", organisations);
        await page.ClickAsync("button:has-text('Sign in')");
    }
}
