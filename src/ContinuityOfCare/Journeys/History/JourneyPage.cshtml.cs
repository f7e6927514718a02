using ContinuityOfCare.Access;
using ContinuityOfCare.Continuity;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ContinuityOfCare.Web;
using NodaTime;

namespace ContinuityOfCare.Journeys.History;

/// <summary>
/// One journey for its prison team or provider: the API's view of it (state, where it stands against its window, and
/// every event with who recorded it and when). Analysts and other organisations are refused, as on the API.
/// </summary>
public sealed class JourneyPageModel(IQuerySession session, IClock clock, ContinuityRules rules) : PageModel
{
    public JourneyView Journey { get; private set; } = null!;

    public int WindowDays => rules.Window.Days;

    /// <summary>Which side's forms the caller may use on this journey.</summary>
    public (bool Prison, bool Provider) Acts { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid journeyId, CancellationToken cancellation)
    {
        var journey = await session.LoadAsync<Journey>(journeyId, cancellation);
        if (journey is null)
        {
            return this.PageNotFound();
        }

        if (!Caller.Of(User).MayAct(Side.Either, journey.Facts))
        {
            return Forbid();
        }

        var caller = Caller.Of(User);
        Acts = (caller.MayAct(Side.Prison, journey.Facts), caller.MayAct(Side.Provider, journey.Facts));
        var events = await session.Events.FetchStreamAsync(journeyId, token: cancellation);
        Journey = ViewJourneyEndpoint.View(journey, events, LondonCalendar.Today(clock), rules);
        return Page();
    }

    public static string Data(HistoryEntry entry) =>
        System.Text.Json.JsonSerializer.Serialize(entry.Data, entry.Data.GetType(), Http.ApiJson.Options);
}
