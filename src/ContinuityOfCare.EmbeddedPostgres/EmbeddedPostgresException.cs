namespace ContinuityOfCare.EmbeddedPostgres;

/// <summary>
/// The embedded cluster could not be set up or started. The message is written for the person running the service:
/// it says what went wrong and what to install or configure, so callers print it as it is, without a stack trace.
/// </summary>
public class EmbeddedPostgresException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>No usable initdb / pg_ctl / postgres binaries were found.</summary>
public sealed class PostgresBinariesNotFoundException(string message) : EmbeddedPostgresException(message);
