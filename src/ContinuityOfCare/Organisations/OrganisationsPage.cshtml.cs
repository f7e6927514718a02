using System.Text;
using ContinuityOfCare.Access;
using ContinuityOfCare.Http;
using ContinuityOfCare.Web;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Wolverine;

namespace ContinuityOfCare.Organisations;

/// <summary>
/// The organisation directory for anyone signed in (names are not confidential), as tables and as CSV; operators
/// replace it here by uploading a CSV, which sends the API's own command and shows the API's own messages.
/// </summary>
[Authorize]
public sealed class OrganisationsPageModel(IQuerySession session, IMessageBus bus) : PageModel
{
    public const string Replaced = "organisations-replaced";

    public OrganisationList List { get; private set; } = null!;

    public string? UpdatedBy { get; private set; }

    public bool MayReplace { get; private set; }

    [BindProperty]
    public IFormFile? Directory { get; set; }

    /// <summary>The upload's problems, one per row and column, each linked to the file input (GOV.UK).</summary>
    public FormErrors Errors { get; } = new(new Dictionary<string, (string, string)>
    {
        ["directory"] = ("directory", "The file"),
    });

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellation)
    {
        await LoadAsync(cancellation);
        return Page();
    }

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellation)
    {
        var directory = await OrganisationsEndpoint.CurrentAsync(session, cancellation);
        return File(Encoding.UTF8.GetBytes(OrganisationCsv.Write(directory)), "text/csv; charset=utf-8",
            "organisations.csv");
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellation)
    {
        var caller = Caller.Of(User);
        if (!caller.Roles.Contains(Roles.Operator))
        {
            return Forbid();
        }

        var errors = new ValidationErrors();
        if (Directory is null || Directory.Length == 0)
        {
            errors.Add("directory", "must be chosen: a CSV of the directory");
        }
        else
        {
            await using var upload = Directory.OpenReadStream();
            var (csv, tooLarge) = await Csv.ReadTextAsync(upload, OrganisationsEndpoint.MaxBytes, cancellation);
            if (csv is null)
            {
                errors.Add(
                    "directory", tooLarge ? $"must be at most {OrganisationsEndpoint.MaxBytes / 1024} KB"
                        : Csv.NotUtf8);
            }
            else
            {
                var replacement = await bus.InvokeAsync<DirectoryReplacement>(
                    new ReplaceOrganisationDirectory(csv, caller.User), cancellation);
                if (replacement.Replaced is { } list)
                {
                    TempData[Replaced] = $"The directory was replaced: {list.Organisations.Count} organisations";
                    return RedirectToPage();
                }

                foreach (var (where, message) in replacement.Errors.ToDictionary()
                             .SelectMany(e => e.Value.Select(m => (e.Key, m))).Take(MaxErrorsShown))
                {
                    errors.Add("directory", $"has a problem at {where}: {message}");
                }
            }
        }

        Errors.Add(errors);
        await LoadAsync(cancellation);
        return Page();
    }

    /// <summary>Enough to fix a file by; a file with more is mostly wrong in one way.</summary>
    public const int MaxErrorsShown = 20;

    private async Task LoadAsync(CancellationToken cancellation)
    {
        (List, UpdatedBy) = await OrganisationsEndpoint.ListAsync(session, cancellation);
        MayReplace = Caller.Of(User).Roles.Contains(Roles.Operator);
    }
}
