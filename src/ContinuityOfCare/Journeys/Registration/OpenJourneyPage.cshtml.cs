using ContinuityOfCare.Access;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Http;
using ContinuityOfCare.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using Wolverine;

namespace ContinuityOfCare.Journeys.Registration;

/// <summary>The prison team opens a journey, checked and sent as on the API (POST /api/v1/journeys).</summary>
[Authorize(Policy = Roles.Prison)]
public sealed class OpenJourneyPageModel(IMessageBus bus, IClock clock) : PageModel
{
    [BindProperty]
    public string? JourneyRef { get; set; }

    [BindProperty]
    public string? PersonRef { get; set; }

    [BindProperty]
    public string? PrisonCode { get; set; }

    [BindProperty]
    public string? Sex { get; set; }

    [BindProperty]
    public string? SubstanceGroup { get; set; }

    [BindProperty]
    public DateParts CustodyTreatmentStartedOn { get; set; } = new();

    public FormErrors Errors { get; } = new(new Dictionary<string, (string, string)>
    {
        ["journeyRef"] = ("journey-ref", "Journey reference"),
        ["personRef"] = ("person-ref", "Person reference"),
        ["prisonCode"] = ("prison-code", "Prison code"),
        ["sex"] = ("sex", "Sex"),
        ["substanceGroup"] = ("substance-group", "Substance group"),
        ["custodyTreatmentStartedOn"] =
            (DateField.DayBox("custody-treatment-started-on"), "Treatment in custody from"),
    });

    public void OnGet()
    {
        var caller = Caller.Of(User);
        PrisonCode ??= caller.Organisations.Where(caller.IsPrisonTeamOf)
            .Order(StringComparer.Ordinal).FirstOrDefault();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellation)
    {
        var unreadable = new ValidationErrors();
        var request = new RegisterJourneyRequest(
            JourneyStepPage.Blank(JourneyRef), JourneyStepPage.Blank(PersonRef), JourneyStepPage.Blank(PrisonCode),
            Radios.Chosen<Journeys.Sex>(Sex), Radios.Chosen<Journeys.SubstanceGroup>(SubstanceGroup),
            JourneyStepPage.Date(unreadable, "custodyTreatmentStartedOn", CustodyTreatmentStartedOn));
        Errors.Add(unreadable.Any ? unreadable : request.Errors(LondonCalendar.Today(clock)));
        if (Errors.Any)
        {
            return Page();
        }

        var opened = new JourneyOpened(
            request.JourneyRef!, request.PersonRef!, request.PrisonCode!, request.Sex!.Value, request.BirthYear,
            request.SubstanceGroup!.Value, request.CustodyTreatmentStartedOn!.Value, request.EntryPoint);
        // The same fingerprint as the API's, so the same journey opened from either is one journey.
        var asked = new StepRequest(Caller.Of(HttpContext), "", Fingerprint.Of(opened));
        var answer = await bus.InvokeAsync<JourneyOpening>(
            new OpenJourney(opened), asked.Delivery(Correlation.Of(HttpContext)), cancellation);
        switch (answer.Refused)
        {
            case { Refusal: StepRefusal.Forbidden }:
                return Forbid();
            case { } conflict:
                Errors.Add(new ValidationErrors().Add(conflict.Field, conflict.Detail));
                return Page();
            default:
                TempData[JourneyStepPage.Done] = answer.Created ? "Journey opened" : "This journey was already open";
                return Redirect($"/journeys/{answer.JourneyId}");
        }
    }
}
