namespace ContinuityOfCare.Continuity;

/// <summary>
/// Small-number suppression for analyst tables (DOMAIN.md, "Disclosure control"). A group with 1 to threshold - 1
/// releases is suppressed; if that leaves exactly one suppressed group in a breakdown, the next smallest group is
/// suppressed too, so the total and the other groups cannot be subtracted to reveal it. Empty groups reveal nothing.
/// </summary>
public static class Disclosure
{
    public const int DefaultThreshold = 5;

    public static bool IsSmall(int released, int threshold) => released >= 1 && released < threshold;

    public static IReadOnlySet<string> SuppressedKeys(IReadOnlyList<(string Key, int Released)> groups, int threshold)
    {
        var suppressed = groups
            .Where(g => IsSmall(g.Released, threshold))
            .Select(g => g.Key)
            .ToHashSet(StringComparer.Ordinal);
        if (suppressed.Count == 1)
        {
            var next = groups
                .Where(g => g.Released > 0 && !suppressed.Contains(g.Key))
                .OrderBy(g => g.Released)
                .ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => g.Key)
                .FirstOrDefault();
            if (next is not null)
            {
                suppressed.Add(next);
            }
        }

        return suppressed;
    }
}
