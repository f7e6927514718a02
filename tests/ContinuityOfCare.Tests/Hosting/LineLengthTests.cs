namespace ContinuityOfCare.Tests.Hosting;

/// <summary>
/// House style (.editorconfig max_line_length = 120): every line of C# and of the Razor pages under 120 characters.
/// Generated Wolverine code is the framework's, not ours, so it is left out.
/// </summary>
public sealed class LineLengthTests
{
    private const int Limit = 120;
    private static readonly string[] Folders = ["src", "tests", "samples"];
    private static readonly string[] Skipped = ["bin", "obj", "__snapshots__"];
    private static readonly string Generated = Path.Combine("src", "ContinuityOfCare", "Internal", "Generated");

    [Fact]
    public void Source_and_page_lines_are_under_120_characters()
    {
        var root = RepositoryRoot();
        var tooLong = (
            from folder in Folders
            let path = Path.Combine(root, folder)
            where Directory.Exists(path)
            from file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
            where file.EndsWith(".cs", StringComparison.Ordinal) || file.EndsWith(".cshtml", StringComparison.Ordinal)
            let relative = Path.GetRelativePath(root, file)
            where !relative.Split(Path.DirectorySeparatorChar).Any(Skipped.Contains)
                && !relative.StartsWith(Generated + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            from line in File.ReadLines(file).Select((text, index) => (Text: text, Number: index + 1))
            where line.Text.Length >= Limit
            orderby relative, line.Number
            select $"{relative.Replace('\\', '/')}:{line.Number} ({line.Text.Length})").ToList();

        Assert.True(
            tooLong.Count == 0,
            $"{tooLong.Count} lines of {Limit} characters or more:\n{string.Join('\n', tooLong)}");
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ContinuityOfCare.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No ContinuityOfCare.sln above {AppContext.BaseDirectory}");
    }
}
