using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.StaticFiles;

namespace ContinuityOfCare.Web;

/// <summary>
/// The screens: Razor Pages kept in the feature folders beside the endpoints they use (RootDirectory "/"), in the
/// GOV.UK Design System with MOJ patterns, whose built files are vendored under wwwroot/vendor (no CDN, no npm at run
/// time).
/// </summary>
public static class Screens
{
    public static void AddScreens(this IServiceCollection services)
    {
        services.AddRazorPages(options => options.RootDirectory = "/");
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "continuity-of-care-antiforgery";
            options.Cookie.SameSite = SameSiteMode.Strict;
        });
    }

    /// <summary>The design system's files, before access: a sign-in page needs its styles too.</summary>
    public static void UseScreenAssets(this WebApplication app) =>
        app.UseStaticFiles(new StaticFileOptions
        {
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            OnPrepareResponse = context =>
                context.Context.Response.Headers.CacheControl = "public, max-age=3600",
        });

    public static void MapScreens(this WebApplication app) => app.MapRazorPages();

    /// <summary>
    /// Paths no endpoint or screen answers, outside the API: the "Page not found" page for a browser, the API's
    /// problem+json for any other client (see <see cref="PageNotFoundModel"/>).
    /// </summary>
    public static void MapScreensFallback(this WebApplication app) => app.MapFallbackToPage("/Web/PageNotFound");

    /// <summary>
    /// The GOV.UK "Page not found" page with a 404, for a screen asked about something that is not there (a page's
    /// own NotFound() would be an empty 404, which the status code pages turn into problem+json).
    /// </summary>
    public static IActionResult PageNotFound(this PageModel page)
    {
        var result = page.Partial("/Web/_PageNotFound.cshtml", null);
        result.StatusCode = StatusCodes.Status404NotFound;
        return result;
    }
}
