using ContinuityOfCare.Access;
using ContinuityOfCare.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ContinuityOfCare.Web;

/// <summary>
/// The screens' fallback, for any method and anyone: a browser (asking for HTML, without a bearer token) gets the
/// GOV.UK "Page not found" page, every other client the API's problem+json 404 (unknown paths are no secret).
/// </summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public sealed class PageNotFoundModel : PageModel
{
    public override Task OnPageHandlerExecutionAsync(
        PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        context.Result = AsksForPage(HttpContext)
            ? this.PageNotFound()
            : new Answer(Problems.UnknownPath(HttpContext.Request.Path));
        return Task.CompletedTask;
    }

    private static bool AsksForPage(HttpContext http) =>
        !PageSession.UsesToken(http)
        && http.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.Ordinal));

    /// <summary>A minimal API result as a page's result: MVC runs only its own kind.</summary>
    private sealed class Answer(IResult result) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context) => result.ExecuteAsync(context.HttpContext);
    }
}
