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

    public int Skip => (Page - 1) * PageSize;

    public int First => Total == 0 ? 0 : Skip + 1;

    public int Last => Math.Min(Total, Skip + PageSize);

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
