using ContinuityOfCare.Access;
using ContinuityOfCare.Http;
using ContinuityOfCare.Web;
using Marten;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Wolverine;

namespace ContinuityOfCare.Journeys.Lapse;

/// <summary>
/// The provider the journey is handed to, or the releasing prison's team, records why the window lapsed without a
/// pickup, as on the API (the same reason again changes nothing; a different one corrects it).
/// </summary>
public sealed class LapseReasonPageModel(IQuerySession session, IMessageBus bus, IClock clock)
    : JourneyStepPage(session, bus, clock)
{
    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public string? Text { get; set; }

    [BindProperty]
    public DateParts LearnedOn { get; set; } = new();

    public override FormErrors Errors { get; } = new(new Dictionary<string, (string, string)>
    {
        ["reason"] = ("reason", "Reason"),
        ["text"] = ("text", "What happened"),
        ["learnedOn"] = (DateField.DayBox("learned-on"), "Date learnt"),
    });

    protected override Side Side => Side.Either;

    public async Task<IActionResult> OnGetAsync(Guid journeyId, CancellationToken cancellation)
    {
        if (await LoadAsync(journeyId, cancellation) is { } refused)
        {
            return refused;
        }

        if (Journey.Facts.WhyLapsed is { } known)
        {
            (Reason, Text) = (known.Reason.ToString(), known.Text);
        }

        return Page();
    }

    public Task<IActionResult> OnPostAsync(Guid journeyId, CancellationToken cancellation)
    {
        var unreadable = new ValidationErrors();
        var request = new RecordLapseReasonRequest(
            Radios.Chosen<LapseReason>(Reason), Blank(Text), Date(unreadable, "learnedOn", LearnedOn));
        return SendAsync(journeyId, unreadable, request,
            today => new RecordLapseReason(
                journeyId, request.Reason!.Value, request.Text, request.LearnedOn ?? today),
            "Reason recorded", cancellation);
    }
}
