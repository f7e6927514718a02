using ContinuityOfCare.Access;
using ContinuityOfCare.Continuity;
using ContinuityOfCare.Http;
using ContinuityOfCare.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using Wolverine;

namespace ContinuityOfCare.Journeys.TreatmentStart;

/// <summary>
/// A provider's file of treatment starts, in three steps: upload it, check what each row would become (the API's dry
/// run), then record it (the API's import) and see what each row became. The same reading, rules and messages as the
/// API, since both send the same command. A repeated confirmation records nothing more: the import is idempotent.
/// </summary>
[Authorize(Policy = Roles.Provider)]
public sealed class ImportPageModel(IMessageBus bus, IClock clock) : PageModel
{
    public const string FileInput = "file";

    public string Provider { get; private set; } = "";

    /// <summary>The file as read, carried from the check to the confirmation.</summary>
    [BindProperty]
    public string? Csv { get; set; }

    public TreatmentStartsImported? Answer { get; private set; }

    public FormErrors Errors { get; } = new(new Dictionary<string, (string, string)>
    {
        ["file"] = (FileInput, "The file"),
    });

    public IActionResult OnGet(string provider) => Mine(provider) ?? Page();

    /// <summary>Reads the chosen file and answers what each row would become, recording nothing.</summary>
    public async Task<IActionResult> OnPostAsync(string provider, IFormFile? file, CancellationToken cancellation)
    {
        if (Mine(provider) is { } refused)
        {
            return refused;
        }

        var unreadable = new ValidationErrors();
        if (file is null || file.Length == 0)
        {
            unreadable.Add("file", "is required: choose a CSV file");
        }
        else
        {
            await using var stream = file.OpenReadStream();
            (Csv, var tooLarge) = await Http.Csv.ReadTextAsync(stream, TreatmentStartFile.MaxBytes, cancellation);
            if (Csv is null)
            {
                unreadable.Add("file", tooLarge
                    ? $"is larger than {TreatmentStartFile.MaxBytes / 1024} KiB: split it"
                    : "must be CSV saved as UTF-8 text");
            }
        }

        return unreadable.Any ? Refuse(unreadable) : await SendAsync(dryRun: true, cancellation);
    }

    /// <summary>Records the checked file and answers what each row became.</summary>
    public async Task<IActionResult> OnPostConfirmAsync(string provider, CancellationToken cancellation) =>
        Mine(provider) ?? (Csv is null ? RedirectToPage() : await SendAsync(dryRun: false, cancellation));

    private async Task<IActionResult> SendAsync(bool dryRun, CancellationToken cancellation)
    {
        var (answer, invalid) = await ImportTreatmentStartsEndpoint.SendAsync(
            Provider, Csv!, dryRun, HttpContext, bus, LondonCalendar.Today(clock), cancellation);
        if (invalid is not null)
        {
            return Refuse(invalid);
        }

        Answer = answer;
        return Page();
    }

    /// <summary>What is wrong with the file as a whole goes on the file input, in the API's words.</summary>
    private PageResult Refuse(ValidationErrors errors)
    {
        foreach (var (field, messages) in errors.ToDictionary())
        {
            Errors.Add(new ValidationErrors().Also(e => Array.ForEach(
                messages, m => e.Add("file", field is "file" or "body" ? m : $"has a problem on {field}: {m}"))));
        }

        Csv = null;
        return Page();
    }

    /// <summary>Null when the provider is the caller's; else the 403 page.</summary>
    private IActionResult? Mine(string provider)
    {
        Provider = provider;
        return Caller.Of(User).IsProviderOf(provider) ? null : Forbid();
    }

    /// <summary>
    /// A row's key as the person wrote it: the journey reference at its prison, else the journey id.
    /// </summary>
    public static string Key(ImportedRow row) =>
        row.JourneyReference is { Length: > 0 } reference ? $"{reference} ({row.PrisonCode})" : row.JourneyId ?? "";

    /// <summary>Why a row was refused, in the API's words after the column's name.</summary>
    public static string Why(ImportedRow row) =>
        string.Join("; ", row.Errors?.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}")) ?? []);
}
