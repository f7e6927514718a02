using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Html;

namespace ContinuityOfCare.Web;

/// <summary>A value on a line chart; null leaves a gap (suppressed, or nothing known yet).</summary>
public sealed record ChartPoint(string Label, double? Share, bool Provisional = false);

/// <summary>A bar: a share with its caption ("62.5%, 40 known"), or a suppressed group.</summary>
public sealed record ChartBar(string Label, double? Share, string Caption, bool Suppressed);

/// <summary>
/// Charts drawn on the server as SVG, shares from 0 to 1 on a 0-100% axis. Each chart is an image with a title and a
/// description: the numbers themselves are in the table beside it, which is what screen readers and analysts use.
/// Written here because no charting library is served for .NET, and a JS one would draw nothing without JS.
/// </summary>
public static class Charts
{
    private const int Width = 720;
    private const int Left = 56, Right = 24, Top = 20, Bottom = 56;

    /// <summary>
    /// A line over labelled points, a dashed target line, and an optional vertical marker at one point.
    /// </summary>
    public static IHtmlContent Line(
        string id, string title, string description, IReadOnlyList<ChartPoint> points, double? target = null,
        string? targetLabel = null, int? markerAt = null, string? markerLabel = null,
        IReadOnlyList<(double? Lower, double? Upper)>? band = null)
    {
        const int height = 320;
        var plotWidth = Width - Left - Right;
        var plotHeight = height - Top - Bottom;
        double X(int i) => Left + (points.Count <= 1 ? plotWidth / 2.0 : i * (double)plotWidth / (points.Count - 1));
        double Y(double share) => Top + (1 - share) * plotHeight;

        var svg = Open(id, title, description, height);
        Grid(svg, plotWidth, Y);
        if (markerAt is { } at && at < points.Count)
        {
            svg.Append(Invariant($"<line class=\"window\" x1=\"{X(at):0.#}\" x2=\"{X(at):0.#}\" y1=\"{Top}\""))
                .Append(Invariant($" y2=\"{Top + plotHeight}\"/>"));
            svg.Append(Invariant($"<text x=\"{X(at) + 4:0.#}\" y=\"{Top + 12}\">{Encode(markerLabel ?? "")}</text>"));
        }

        // A shaded band (a confidence band) under the line: one polygon per run of points where it is defined.
        var stretch = new List<(int Index, double Lower, double Upper)>();
        for (var i = 0; band is not null && i <= band.Count; i++)
        {
            if (i < band.Count && band[i] is ({ } lower, { } upper))
            {
                stretch.Add((i, lower, upper));
                continue;
            }

            if (stretch.Count > 1)
            {
                svg.Append("<polygon class=\"band\" points=\"")
                    .AppendJoin(' ', stretch.Select(p => Invariant($"{X(p.Index):0.#},{Y(p.Upper):0.#}")))
                    .Append(' ')
                    .AppendJoin(' ', stretch.AsEnumerable().Reverse()
                        .Select(p => Invariant($"{X(p.Index):0.#},{Y(p.Lower):0.#}")))
                    .Append("\"/>");
            }

            stretch.Clear();
        }

        // One path per run of known values, so a suppressed point is a visible gap, not a line drawn through it.
        var run = new List<string>();
        for (var i = 0; i <= points.Count; i++)
        {
            if (i < points.Count && points[i].Share is { } share)
            {
                run.Add(Invariant($"{X(i):0.#},{Y(share):0.#}"));
                continue;
            }

            if (run.Count > 1)
            {
                svg.Append("<polyline class=\"series\" points=\"").AppendJoin(' ', run).Append("\"/>");
            }

            run.Clear();
        }

        if (target is { } t)
        {
            svg.Append(Invariant($"<line class=\"ambition\" x1=\"{Left}\" x2=\"{Left + plotWidth}\""))
                .Append(Invariant($" y1=\"{Y(t):0.#}\" y2=\"{Y(t):0.#}\"/>"));
            svg.Append(Invariant($"<text class=\"ambition-label\" x=\"{Left + plotWidth}\" y=\"{Y(t) - 6:0.#}\""))
                .Append(Invariant($" text-anchor=\"end\">{Encode(targetLabel ?? "")}</text>"));
        }

        var every = Math.Max(1, (int)Math.Ceiling(points.Count / 12.0));
        for (var i = 0; i < points.Count; i++)
        {
            if (points[i].Share is { } share)
            {
                var kind = points[i].Provisional ? "point provisional" : "point";
                svg.Append(Invariant($"<circle class=\"{kind}\" cx=\"{X(i):0.#}\" cy=\"{Y(share):0.#}\" r=\"5\"/>"));
            }

            if (i % every == 0)
            {
                svg.Append(Invariant($"<text x=\"{X(i):0.#}\" y=\"{Top + plotHeight + 18}\""))
                    .Append(Invariant($" text-anchor=\"middle\">{Encode(points[i].Label)}</text>"));
            }
        }

        if (points.Any(p => p.Provisional))
        {
            var y = height - 12;
            svg.Append(Invariant($"<circle class=\"point\" cx=\"{Left + 6}\" cy=\"{y - 4}\" r=\"5\"/><text"))
                .Append(Invariant($" x=\"{Left + 16}\" y=\"{y}\">final</text>"));
            svg.Append(Invariant($"<circle class=\"point provisional\" cx=\"{Left + 76}\" cy=\"{y - 4}\""))
                .Append(Invariant($" r=\"5\"/><text x=\"{Left + 86}\" y=\"{y}\">provisional (windows still"))
                .Append(Invariant($" open)</text>"));
        }

        return Close(svg);
    }

    /// <summary>
    /// Horizontal bars, one per group, with a dashed target line; suppressed groups hatched and labelled.
    /// </summary>
    public static IHtmlContent Bars(
        string id, string title, string description, IReadOnlyList<ChartBar> bars, double? target = null,
        string? targetLabel = null)
    {
        const int rowHeight = 30, labelWidth = 150, captionWidth = 170;
        var height = Top + Bottom / 2 + Math.Max(1, bars.Count) * rowHeight;
        var plotWidth = Width - labelWidth - captionWidth - Right;
        double X(double share) => labelWidth + share * plotWidth;

        var svg = Open(id, title, description, height);
        svg.Append("<defs><pattern id=\"screens-hatch\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\" ")
            .Append("patternTransform=\"rotate(45)\"><rect width=\"8\" height=\"8\" fill=\"#f3f2f1\"/>")
            .Append("<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"8\" stroke=\"#b1b4b6\" stroke-width=\"3\"/>")
            .Append("</pattern></defs>");
        foreach (var share in new[] { 0, 0.25, 0.5, 0.75, 1 })
        {
            svg.Append(Invariant($"<line class=\"grid\" x1=\"{X(share):0.#}\" x2=\"{X(share):0.#}\""))
                .Append(Invariant($" y1=\"{Top - 6}\" y2=\"{height - Bottom / 2 + 4}\"/>"));
            svg.Append(Invariant($"<text x=\"{X(share):0.#}\" y=\"{Top - 8}\""))
                .Append(Invariant($" text-anchor=\"middle\">{share * 100:0}%</text>"));
        }

        for (var i = 0; i < bars.Count; i++)
        {
            var bar = bars[i];
            var y = Top + i * rowHeight;
            svg.Append(Invariant($"<text x=\"{labelWidth - 8}\" y=\"{y + 19}\""))
                .Append(Invariant($" text-anchor=\"end\">{Encode(Shorten(bar.Label, 20))}</text>"));
            if (bar.Suppressed)
            {
                svg.Append(Invariant($"<rect class=\"bar suppressed\" x=\"{labelWidth}\" y=\"{y + 5}\""))
                    .Append(Invariant($" width=\"{plotWidth}\" height=\"{rowHeight - 10}\"/>"));
            }
            else if (bar.Share is { } share)
            {
                svg.Append(Invariant($"<rect class=\"bar\" x=\"{labelWidth}\" y=\"{y + 5}\""))
                    .Append(Invariant($" width=\"{Math.Max(1, share * plotWidth):0.#}\""))
                    .Append(Invariant($" height=\"{rowHeight - 10}\"/>"));
            }

            svg.Append(Invariant($"<text x=\"{labelWidth + plotWidth + 8}\""))
                .Append(Invariant($" y=\"{y + 19}\">{Encode(bar.Caption)}</text>"));
        }

        if (target is { } t)
        {
            svg.Append(Invariant($"<line class=\"ambition\" x1=\"{X(t):0.#}\" x2=\"{X(t):0.#}\" y1=\"{Top - 2}\""))
                .Append(Invariant($" y2=\"{height - Bottom / 2 + 4}\"/>"));
            svg.Append(Invariant($"<text class=\"ambition-label\" x=\"{X(t):0.#}\" y=\"{height - 6}\""))
                .Append(Invariant($" text-anchor=\"middle\">{Encode(targetLabel ?? "")}</text>"));
        }

        return Close(svg);
    }

    private static StringBuilder Open(string id, string title, string description, int height) =>
        new StringBuilder()
            .Append(Invariant($"<svg class=\"screens-chart\" id=\"{Encode(id)}\" viewBox=\"0 0 {Width} {height}\""))
                .Append(Invariant($" role=\"img\" "))
            .Append(Invariant($"aria-labelledby=\"{Encode(id)}-title {Encode(id)}-desc\""))
                .Append(Invariant($" xmlns=\"http://www.w3.org/2000/svg\">"))
            .Append(Invariant($"<title id=\"{Encode(id)}-title\">{Encode(title)}</title><desc"))
                .Append(Invariant($" id=\"{Encode(id)}-desc\">{Encode(description)}</desc>"));

    private static IHtmlContent Close(StringBuilder svg) => new HtmlString(svg.Append("</svg>").ToString());

    private static void Grid(StringBuilder svg, int plotWidth, Func<double, double> y)
    {
        foreach (var share in new[] { 0, 0.25, 0.5, 0.75, 1 })
        {
            svg.Append(Invariant($"<line class=\"grid\" x1=\"{Left}\" x2=\"{Left + plotWidth}\""))
                .Append(Invariant($" y1=\"{y(share):0.#}\" y2=\"{y(share):0.#}\"/>"));
            svg.Append(Invariant($"<text x=\"{Left - 8}\" y=\"{y(share) + 4:0.#}\""))
                .Append(Invariant($" text-anchor=\"end\">{share * 100:0}%</text>"));
        }

        svg.Append(Invariant($"<line class=\"axis\" x1=\"{Left}\" x2=\"{Left}\" y1=\"{y(1):0.#}\""))
            .Append(Invariant($" y2=\"{y(0):0.#}\"/>"));
    }

    private static string Shorten(string text, int length) =>
        text.Length <= length ? text : text[..(length - 1)] + "…";

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
