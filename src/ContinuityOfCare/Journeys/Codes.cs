namespace ContinuityOfCare.Journeys;

// Written in JSON as kebab-case ("non-opiate-and-alcohol"); the names are part of the HTTP contract.

public enum Sex
{
    Female,
    Male,
    Other,
    Unknown,
}

/// <summary>NDTMS substance groups.</summary>
public enum SubstanceGroup
{
    Opiate,
    NonOpiate,
    NonOpiateAndAlcohol,
    Alcohol,
}

public enum ReleaseType
{
    EndOfSentence,
    Licence,
    HomeDetentionCurfew,
    Court,
    RemandEnded,
    Other,
}
