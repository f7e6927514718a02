using System.Text;

namespace ContinuityOfCare.Http;

/// <summary>CSV bodies: read strictly (415/413/400 naming what is wrong) and split into rows.</summary>
public static class Csv
{
    public const string MediaType = "text/csv; charset=utf-8";

    private static readonly UTF8Encoding Utf8 = new(false, throwOnInvalidBytes: true);

    /// <summary>
    /// The body as text: text/csv, at most <paramref name="maxBytes"/>, UTF-8 (a byte order mark is dropped).
    /// </summary>
    public static async Task<(string? Text, IResult? Problem)> ReadBodyAsync(
        HttpRequest request, int maxBytes, CancellationToken cancellation)
    {
        if (request.ContentType is not { } type || !type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Problems.UnsupportedMediaType(request.ContentType, "text/csv"));
        }

        if (request.ContentLength > maxBytes)
        {
            return (null, Problems.TooLarge(maxBytes));
        }

        var (text, tooLarge) = await ReadTextAsync(request.Body, maxBytes, cancellation);
        return text is not null ? (text, null)
            : tooLarge ? (null, Problems.TooLarge(maxBytes))
            : (null, Problems.Invalid("body", NotUtf8));
    }

    public const string NotUtf8 = "must be UTF-8 text";

    /// <summary>
    /// A CSV body or uploaded file as text, its byte order mark dropped; null when over <paramref name="maxBytes"/>
    /// (<c>TooLarge</c>) or not UTF-8.
    /// </summary>
    public static async Task<(string? Text, bool TooLarge)> ReadTextAsync(
        Stream body, int maxBytes, CancellationToken cancellation)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellation)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return (null, true);
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            return (Utf8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length).TrimStart('\uFEFF'), false);
        }
        catch (DecoderFallbackException)
        {
            return (null, false);
        }
    }

    /// <summary>Whether the caller asked for the answer as CSV (Accept: text/csv).</summary>
    public static bool IsAskedFor(HttpRequest request) =>
        request.Headers.Accept.Any(a => a?.Contains("text/csv", StringComparison.OrdinalIgnoreCase) == true);

    /// <summary>A cell as CSV: quoted when it holds a comma, a quote or a line break.</summary>
    public static string Quoted(string cell) =>
        cell.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + cell.Replace("\"", "\"\"") + "\"" : cell;

    /// <summary>
    /// RFC 4180 rows, blank lines skipped (quoted cells may hold commas, quotes and line breaks; CRLF or LF), or the
    /// first reason the text is not CSV, named by row. Written here: the CsvHelper served here (34) is a redesigned
    /// record mapper whose errors do not name the row, and the format needs only this much.
    /// </summary>
    public static List<List<string>> Rows(string csv, ValidationErrors errors)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var cell = new System.Text.StringBuilder();
        var (quoted, wasQuoted) = (false, false);
        for (var i = 0; i < csv.Length; i++)
        {
            var c = csv[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < csv.Length && csv[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"' && cell.Length == 0 && !wasQuoted)
            {
                (quoted, wasQuoted) = (true, true);
            }
            else if (c == ',')
            {
                row.Add(cell.ToString());
                (cell, wasQuoted) = (new System.Text.StringBuilder(), false);
            }
            else if (c is '\n' or '\r')
            {
                if (c == '\r' && i + 1 < csv.Length && csv[i + 1] == '\n')
                {
                    i++;
                }

                row.Add(cell.ToString());
                if (row is not [""])
                {
                    rows.Add(row);
                }

                (row, cell, wasQuoted) = ([], new System.Text.StringBuilder(), false);
            }
            else if (wasQuoted || c == '"')
            {
                errors.Add($"row {rows.Count + 1}", "has a quote mark inside a cell that is not quoted as a whole");
                return rows;
            }
            else
            {
                cell.Append(c);
            }
        }

        if (quoted)
        {
            errors.Add($"row {rows.Count + 1}", "has a quoted cell that is never closed");
            return rows;
        }

        row.Add(cell.ToString());
        if (row is not [""])
        {
            rows.Add(row);
        }

        return rows;
    }
}
