using ContinuityOfCare.Http;

namespace ContinuityOfCare.Organisations;

public enum OrganisationKind
{
    Prison,
    LocalAuthority,
    Provider,
}

/// <summary>
/// One organisation or area by its code. <see cref="Category"/> (A, B, C, D, YOI, closed, open) and
/// <see cref="HoldsWomen"/> are for prisons only.
/// </summary>
public sealed record Organisation(
    string Code, OrganisationKind Kind, string Name, string Region, string? Category = null, bool? HoldsWomen = null);

/// <summary>
/// Names and regions of prisons, local authorities and providers by code. Journeys keep their codes whatever the
/// directory says: a code it does not know is shown as <see cref="Unknown"/>, never dropped.
/// </summary>
public sealed class OrganisationDirectory
{
    public const string Unknown = "unknown";

    private readonly Dictionary<(OrganisationKind, string), Organisation> _byCode;

    public OrganisationDirectory(IReadOnlyList<Organisation> organisations)
    {
        Organisations = organisations;
        _byCode = organisations.ToDictionary(o => (o.Kind, o.Code));
    }

    public IReadOnlyList<Organisation> Organisations { get; }

    /// <summary>The directory in Organisations/organisations.csv, used until an operator replaces it.</summary>
    public static OrganisationDirectory Shipped { get; } = ReadShipped();

    public Organisation? Find(OrganisationKind kind, string code) => _byCode.GetValueOrDefault((kind, code));

    /// <summary>The name of the organisation with this code, or <see cref="Unknown"/>.</summary>
    public string NameOf(OrganisationKind kind, string code) => Find(kind, code)?.Name ?? Unknown;

    /// <summary>The region of the prison with this code, or <see cref="Unknown"/>.</summary>
    public string RegionOfPrison(string prisonCode) => Find(OrganisationKind.Prison, prisonCode)?.Region ?? Unknown;

    private static OrganisationDirectory ReadShipped()
    {
        using var stream = typeof(OrganisationDirectory).Assembly.GetManifestResourceStream(ShippedResource)
            ?? throw new InvalidOperationException($"The resource {ShippedResource} is missing from the build");
        var (directory, errors) = OrganisationCsv.Read(new StreamReader(stream).ReadToEnd());
        return directory ?? throw new InvalidOperationException(
            $"Organisations/organisations.csv is invalid: {errors.Describe()}");
    }

    private const string ShippedResource = "ContinuityOfCare.Organisations.organisations.csv";
}

/// <summary>The directory as CSV: the columns of organisations.csv, every row checked before any is used.</summary>
public static class OrganisationCsv
{
    public static readonly string[] Columns = ["code", "kind", "name", "region", "category", "holdsWomen"];

    public static readonly string[] Categories = ["A", "B", "C", "D", "YOI", "closed", "open"];

    public const int MaxNameLength = 200;

    /// <summary>
    /// The directory in <paramref name="csv"/>, or every problem with it, each named "row N, column" (row 1 is the
    /// header): a directory with any bad row is refused whole.
    /// </summary>
    public static (OrganisationDirectory? Directory, ValidationErrors Errors) Read(string csv)
    {
        var errors = new ValidationErrors();
        var rows = Csv.Rows(csv, errors);
        if (errors.Any)
        {
            return (null, errors);
        }

        if (rows.Count == 0 || !rows[0].SequenceEqual(Columns))
        {
            errors.Add("row 1", $"the header must be {string.Join(',', Columns)}");
            return (null, errors);
        }

        var organisations = new List<Organisation>();
        var seen = new Dictionary<(OrganisationKind, string), int>();
        for (var i = 1; i < rows.Count; i++)
        {
            var row = i + 1;
            if (rows[i].Count != Columns.Length)
            {
                errors.Add($"row {row}", $"has {rows[i].Count} columns, not {Columns.Length}");
                continue;
            }

            if (Organisation(rows[i], $"row {row}", errors) is { } organisation)
            {
                if (seen.TryGetValue((organisation.Kind, organisation.Code), out var first))
                {
                    errors.Add($"row {row}, code", $"repeats the {ApiJson.Code(organisation.Kind)} of row {first}");
                }

                seen.TryAdd((organisation.Kind, organisation.Code), row);
                organisations.Add(organisation);
            }
        }

        if (organisations.Count == 0 && !errors.Any)
        {
            errors.Add("row 2", "the directory has no organisations");
        }

        return errors.Any ? (null, errors) : (new OrganisationDirectory(organisations), errors);
    }

    /// <summary>The directory written back as CSV, in the same columns.</summary>
    public static string Write(OrganisationDirectory directory) =>
        string.Join('\n', directory.Organisations.Select(o => string.Join(',',
                new[]
                {
                    o.Code, ApiJson.Code(o.Kind), o.Name, o.Region, o.Category ?? "",
                    o.HoldsWomen switch { true => "yes", false => "no", null => "" },
                }.Select(Csv.Quoted)))
            .Prepend(string.Join(',', Columns))) + "\n";

    private static Organisation? Organisation(IReadOnlyList<string> cells, string row, ValidationErrors errors)
    {
        var before = errors.ToDictionary().Count;
        var (code, kindText, name, region, category, holdsWomen) =
            (cells[0], cells[1], cells[2], cells[3], cells[4], cells[5]);
        errors.Code($"{row}, code", code);
        foreach (var (column, cell) in Columns.Zip(cells).Where(c => c.Second is ['=' or '+' or '-' or '@', ..]))
        {
            // The directory is served back as CSV as it was given: nothing in it may read as a spreadsheet formula.
            errors.Add($"{row}, {column}", "must not start with =, +, - or @");
        }

        var kind = Enum.GetValues<OrganisationKind>().Select(k => (OrganisationKind?)k)
            .FirstOrDefault(k => ApiJson.Code(k!.Value) == kindText);
        if (kind is null)
        {
            errors.Add($"{row}, kind", "must be prison, local-authority or provider");
        }

        Text(errors, $"{row}, name", name);
        Text(errors, $"{row}, region", region);
        bool? women = holdsWomen switch { "yes" => true, "no" => false, _ => null };
        if (kind == OrganisationKind.Prison)
        {
            if (!Categories.Contains(category, StringComparer.Ordinal))
            {
                errors.Add($"{row}, category", $"must be one of {string.Join(", ", Categories)} for a prison");
            }

            if (women is null)
            {
                errors.Add($"{row}, holdsWomen", "must be yes or no for a prison");
            }
        }
        else if (kind is not null)
        {
            if (category != "")
            {
                errors.Add($"{row}, category", "must be empty: only prisons have a category");
            }

            if (holdsWomen != "")
            {
                errors.Add($"{row}, holdsWomen", "must be empty: only prisons say whether they hold women");
            }
        }

        return errors.ToDictionary().Count > before
            ? null
            : new Organisation(
                code, kind!.Value, name, region, kind == OrganisationKind.Prison ? category : null,
                kind == OrganisationKind.Prison ? women : null);
    }

    private static void Text(ValidationErrors errors, string field, string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, "is required");
        }
        else if (value.Length > MaxNameLength || value.Any(char.IsControl) || value != value.Trim())
        {
            errors.Add(
                field, $"must be at most {MaxNameLength} characters, without control characters or outer spaces");
        }
    }
}
