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

    /// <summary>The steps the caller may take on the journey now: each form's path under it, and its link.</summary>
    public IReadOnlyList<(string Step, string Text)> Steps { get; private set; } = [];

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
        var events = await session.Events.FetchStreamAsync(journeyId, token: cancellation);
        Journey = ViewJourneyEndpoint.View(journey, events, LondonCalendar.Today(clock), rules);
        var facts = journey.Facts;
        Steps = StepsFor(
            facts, caller.MayAct(Side.Prison, facts), caller.MayAct(Side.Provider, facts),
            notEngaged: Journey.Continuity?.Outcome == Continuity.ReleaseOutcome.NotEngaged).ToList();
        return Page();
    }

    /// <summary>
    /// The forms worth offering for the journey as it stands, to the side(s) the caller acts for: only steps the rules
    /// could accept (the rules still decide, and a form still shows their refusal).
    /// </summary>
    /// <param name="notEngaged">
    /// Whether the window closed without a pickup: it depends on today, not the facts.
    /// </param>
    public static IEnumerable<(string Step, string Text)> StepsFor(
        JourneyFacts journey, bool prison, bool provider, bool notEngaged)
    {
        // Why the window lapsed, last: also on a journey a later exit closed, since its window lapsed first.
        var steps = journey.IsClosed ? [] : PathwaySteps(journey, prison, provider);
        return notEngaged && (prison || provider)
            ? steps.Append(("lapse-reason", "Record why the window lapsed"))
            : steps;
    }

    private static IEnumerable<(string Step, string Text)> PathwaySteps(
        JourneyFacts journey, bool prison, bool provider)
    {
        var released = journey.Release is not null;
        var pickedUp = journey.CommunityTreatmentStartedOn is not null;
        var handedOver = journey.HandedOverTo is not null;
        if (prison && !released)
        {
            yield return (
                "release-schedule",
                journey.ReleaseScheduledOn is null ? "Schedule the release" : "Change the expected release date");
            yield return ("release", "Record the release");
        }

        if (prison && !handedOver && !pickedUp)
        {
            yield return ("referral", "Refer to a provider");
        }

        if (provider)
        {
            yield return ("handover", "Acknowledge, decline or book an appointment");
        }

        if ((prison || provider) && handedOver && !pickedUp)
        {
            yield return ("handover-redirect", "Redirect the handover to another provider");
        }

        if (provider && released && !pickedUp)
        {
            yield return ("treatment-start", "Record the treatment start");
        }

        if (provider && released)
        {
            yield return ("missed-appointment", "Record a missed appointment");
        }

        if (provider && pickedUp && journey.TreatmentEnding is null)
        {
            yield return ("treatment-end", "Record the end of treatment");
        }
    }

    public static string Data(HistoryEntry entry) =>
        System.Text.Json.JsonSerializer.Serialize(entry.Data, entry.Data.GetType(), Http.ApiJson.Options);
}
