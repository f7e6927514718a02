using ContinuityOfCare.Access;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Http;
using ContinuityOfCare.Web;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using NodaTime.Text;
using Wolverine;

namespace ContinuityOfCare.Journeys;

/// <summary>
/// A form for a step on a journey: it checks the input with the API's request record, sends the step's command as
/// the API does, and answers in the GOV.UK patterns (written: back to the journey with a success banner; a 409: the
/// rule's message on its field; 403 and 404 pages). The command's handler decides, as for the API.
/// </summary>
public abstract class JourneyStepPage(IQuerySession session, IMessageBus bus, IClock clock) : PageModel
{
    /// <summary>The success banner's words, carried to the journey page across the redirect.</summary>
    public const string Done = "journey-step-done";

    public Journey Journey { get; private set; } = null!;

    public abstract FormErrors Errors { get; }

    protected abstract Side Side { get; }

    protected LocalDate Today => LondonCalendar.Today(clock);

    /// <summary>The journey, if there is one and the caller is on the form's side (else a 404 or 403 page).</summary>
    protected async Task<IActionResult?> LoadAsync(Guid journeyId, CancellationToken cancellation)
    {
        if (await session.LoadAsync<Journey>(journeyId, cancellation) is not { } journey)
        {
            return this.PageNotFound();
        }

        Journey = journey;
        return Caller.Of(User).MayAct(Side, journey.Facts) ? null : Forbid();
    }

    /// <summary>
    /// A date input read as the API reads a date (empty for none); a malformed or impossible one gets the API's 400
    /// message.
    /// </summary>
    public static LocalDate? Date(ValidationErrors errors, string field, DateParts input)
    {
        if (input.Iso is not { } text)
        {
            return null;
        }

        if (!ApiJson.TryParse(LocalDatePattern.Iso, text, out var date))
        {
            errors.Add(field, Fields.NotADate);
            return null;
        }

        return date;
    }

    /// <summary>An empty field is a missing one, as an absent property is on the API.</summary>
    public static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>
    /// Checks the request as the API does (unless reading the form already failed) and sends its command; once
    /// written, back to the journey (or where <paramref name="then"/> says, for a step that can take the journey out
    /// of the caller's reach; it is asked with the journey as it was before the step).
    /// </summary>
    protected async Task<IActionResult> SendAsync(
        Guid journeyId, ValidationErrors unreadable, ICheckedRequest request, Func<LocalDate, IJourneyCommand> command,
        string done, CancellationToken cancellation, Func<string?>? then = null)
    {
        if (await LoadAsync(journeyId, cancellation) is { } refused)
        {
            return refused;
        }

        Errors.Add(unreadable.Any ? unreadable : request.Errors(Today));
        if (Errors.Any)
        {
            return Page();
        }

        var asked = new StepRequest(Caller.Of(HttpContext), IdempotencyKey: "", Fingerprint: "");
        var answer = await bus.InvokeAsync<StepAnswer>(
            command(Today), asked.Delivery(Correlation.Of(HttpContext)), cancellation);
        switch (answer)
        {
            case StepRefused { Refusal: StepRefusal.UnknownJourney }:
                return this.PageNotFound();
            case StepRefused { Refusal: StepRefusal.Forbidden }:
                return Forbid();
            case StepRefused conflict:
                Errors.Add(new ValidationErrors().Add(conflict.Field, conflict.Detail));
                return Page();
            default:
                TempData[Done] = done;
                return Redirect(then?.Invoke() ?? $"/journeys/{journeyId}");
        }
    }
}
