namespace ContinuityOfCare.Web;

/// <summary>
/// A list shown a page at a time, with the GOV.UK pagination component (rendered by Web/_Pagination.cshtml): which
/// page this is, how many there are, and the address of each.
/// </summary>
public sealed record Pagination(int Page, int Pages, int Total, int PageSize, Func<int, string> Link)
{
    /// <summary>The page asked for (1 when none, or not a number), within the pages there are.</summary>
    public static Pagination Of(string? asked, int total, int pageSize, Func<int, string> link)
    {
        var pages = Math.Max(1, (total + pageSize - 1) / pageSize);
        var page = int.TryParse(asked, out var p) ? Math.Clamp(p, 1, pages) : 1;
        return new Pagination(page, pages, total, pageSize, link);
    }

    /// <summary>
    /// A list's page for a screen, asked of <paramref name="list"/> (given how many to skip) once: again, for the
    /// last page, only when the page asked for lies past the end.
    /// </summary>
    public static async Task<(T List, Pagination Pages)> AskAsync<T>(
        string? asked, int pageSize, Func<int, Task<T>> list, Func<T, int> total, Func<int, string> link)
    {
        var number = int.TryParse(asked, out var n) ? Math.Clamp(n, 1, int.MaxValue / pageSize) : 1;
        var answer = await list((number - 1) * pageSize);
        var pages = Of(asked, total(answer), pageSize, link);
        return pages.Page == number ? (answer, pages) : (await list(pages.Skip), pages);
    }

    public int Skip => (Page - 1) * PageSize;

    public int First => Total == 0 ? 0 : Skip + 1;

    public int Last => Math.Min(Total, Skip + PageSize);

    /// <summary>
    /// "Showing 21 to 23 of 23 handovers.", "Showing 1 of 1 handover.", or "of more than 1,000" past a count's limit.
    /// </summary>
    public string Showing(string one, string many, bool moreThanTotal)
    {
        var range = First == Last ? Display.Count(First) : $"{Display.Count(First)} to {Display.Count(Last)}";
        var noun = Total == 1 && !moreThanTotal ? one : many;
        return $"Showing {range} of {Display.Total(Total, moreThanTotal)} {noun}.";
    }

    /// <summary>
    /// The page numbers to link, GOV.UK style: the first, the last and those either side of this one; null marks a
    /// gap (an ellipsis).
    /// </summary>
    public IEnumerable<int?> Numbers()
    {
        var previous = 0;
        for (var n = 1; n <= Pages; n++)
        {
            if (n != 1 && n != Pages && Math.Abs(n - Page) > 1)
            {
                continue;
            }

            if (n > previous + 1)
            {
                yield return null;
            }

            yield return n;
            previous = n;
        }
    }
}
