using ContinuityOfCare.Http;
using System.Text.Json;
using ContinuityOfCare.Journeys;
using ContinuityOfCare.Organisations;
using NodaTime;

namespace ContinuityOfCare.Continuity;

/// <summary>
/// What analysts can break figures down by (DOMAIN.md, "Breakdowns analysts need"), as named in `by=`.
/// </summary>
public enum Dimension
{
    Prison,
    LocalAuthority,
    Provider,
    Region,
    SubstanceGroup,
    Sex,
    AgeBand,
    ReleaseType,
    NoFixedAbode,
    Naloxone,
    MetAtGate,
    Month,
    Quarter,
    FinancialYear,
    ReleaseDay,
}

public static class Breakdown
{
    public const string NotRecorded = "not-recorded";

    /// <summary>The `by=` names: camelCase, exactly.</summary>
    public static IReadOnlyDictionary<string, Dimension> Names { get; } =
        Enum.GetValues<Dimension>().ToDictionary(
            d => JsonNamingPolicy.CamelCase.ConvertName(d.ToString()), d => d, StringComparer.Ordinal);

    private static readonly Dictionary<Dimension, string> NamesOf = Names.ToDictionary(n => n.Value, n => n.Key);

    /// <summary>A dimension's `by=` name (the name the cohort cells carry too).</summary>
    public static string NameOf(Dimension dimension) => NamesOf[dimension];

    /// <summary>
    /// The group a released journey falls in. The prison is the releasing prison, after any transfers; the region is
    /// that prison's in <paramref name="organisations"/> (unknown for a code it does not know).
    /// </summary>
    public static string Key(Dimension dimension, JourneyFacts journey, OrganisationDirectory organisations)
    {
        var release = journey.Release
            ?? throw new ArgumentException("Only released journeys are grouped", nameof(journey));
        return dimension switch
        {
            Dimension.Prison => journey.PrisonCode,
            Dimension.LocalAuthority => release.DestinationLocalAuthority,
            Dimension.Provider => journey.Provider ?? NotRecorded,
            Dimension.Region => organisations.RegionOfPrison(journey.PrisonCode),
            Dimension.SubstanceGroup => ApiJson.Code(journey.SubstanceGroup),
            Dimension.Sex => ApiJson.Code(journey.Sex),
            Dimension.AgeBand => AgeBands.Of(journey.BirthYear, release.ReleasedOn),
            Dimension.ReleaseType => ApiJson.Code(release.ReleaseType),
            Dimension.NoFixedAbode => YesNo(release.NoFixedAbode),
            Dimension.Naloxone => YesNo(release.NaloxoneSupplied),
            Dimension.MetAtGate => journey.MetAtGate ? "yes" : YesNo(release.MetAtGate),
            _ => KeyOfReleaseDate(dimension, release.ReleasedOn)
                ?? throw new ArgumentOutOfRangeException(nameof(dimension), dimension, null),
        };
    }

    /// <summary>The group of a breakdown by release date alone (the periods, the kind of day), else null.</summary>
    public static string? KeyOfReleaseDate(Dimension dimension, LocalDate releasedOn) => dimension switch
    {
        Dimension.Month => Periods.Key(PeriodKind.Month, releasedOn),
        Dimension.Quarter => Periods.Key(PeriodKind.Quarter, releasedOn),
        Dimension.FinancialYear => Periods.Key(PeriodKind.FinancialYear, releasedOn),
        Dimension.ReleaseDay => ApiJson.Code(ReleaseDays.Classify(releasedOn)),
        _ => null,
    };

    /// <summary>
    /// Groups of a breakdown in the order shown: every period [from, to] touches (empty ones too, as zeros), otherwise
    /// the groups present, by key.
    /// </summary>
    public static IReadOnlyList<(string Key, IReadOnlyList<JourneyFacts> Journeys)> Group(
        IReadOnlyList<JourneyFacts> cohort, Dimension dimension, LocalDate from, LocalDate to,
        OrganisationDirectory organisations)
    {
        var present = cohort
            .GroupBy(j => Key(dimension, j, organisations))
            .ToDictionary(g => g.Key, g => (IReadOnlyList<JourneyFacts>)g.ToList());
        return Keys(dimension, from, to, present.Keys)
            .Select(k => (k, present.GetValueOrDefault(k) ?? [])).ToList();
    }

    /// <summary>
    /// The groups of a breakdown in the order shown: every period [from, to] touches, otherwise those
    /// <paramref name="present"/>, by key.
    /// </summary>
    public static IEnumerable<string> Keys(
        Dimension dimension, LocalDate from, LocalDate to, IEnumerable<string> present) => dimension switch
    {
        Dimension.Month => Periods.KeysBetween(PeriodKind.Month, from, to),
        Dimension.Quarter => Periods.KeysBetween(PeriodKind.Quarter, from, to),
        Dimension.FinancialYear => Periods.KeysBetween(PeriodKind.FinancialYear, from, to),
        _ => present.Order(StringComparer.Ordinal),
    };

    /// <summary>
    /// The name of the organisation a group's key is the code of (<see cref="OrganisationDirectory.Unknown"/> for a
    /// code the directory does not know), or null when the dimension is not an organisation or nothing was recorded.
    /// </summary>
    public static string? Name(Dimension dimension, string key, OrganisationDirectory organisations)
    {
        OrganisationKind? kind = dimension switch
        {
            Dimension.Prison => OrganisationKind.Prison,
            Dimension.LocalAuthority => OrganisationKind.LocalAuthority,
            Dimension.Provider => OrganisationKind.Provider,
            _ => null,
        };
        return kind is { } k && key != NotRecorded ? organisations.NameOf(k, key) : null;
    }

    private static string YesNo(bool? value) => value switch { true => "yes", false => "no", null => NotRecorded };
}
