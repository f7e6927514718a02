namespace ContinuityOfCare.EmbeddedPostgres;

/// <summary>
/// Which live process owns the server running from a cluster folder: an exclusive lock (flock) on a file in the
/// folder, held for the owner's lifetime. The kernel drops it when the owner ends, however it ends, so a server
/// orphaned by a killed owner is recognised as ownerless and taken over. The owner's PID is written beside it, for
/// messages.
/// </summary>
internal sealed class OwnerLock : IDisposable
{
    private const string FileName = "owner.lock";
    private const string PidFileName = "owner.pid";

    private readonly FileStream _file;

    private OwnerLock(FileStream file) => _file = file;

    /// <summary>The lock, or null when a live process holds it.</summary>
    public static OwnerLock? TryTake(string root)
    {
        FileStream file;
        try
        {
            // FileShare.None takes flock(LOCK_EX | LOCK_NB) on Unix: it fails while another live process holds it.
            file = new FileStream(
                Path.Combine(root, FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        try
        {
            // A file of its own: reading the locked one would need the lock.
            File.WriteAllText(Path.Combine(root, PidFileName), Environment.ProcessId.ToString());
        }
        catch
        {
            file.Dispose();
            throw;
        }

        return new OwnerLock(file);
    }

    /// <summary>The owner's PID as it wrote it, for messages.</summary>
    public static string Holder(string root)
    {
        try
        {
            return "PID " + File.ReadAllText(Path.Combine(root, PidFileName)).Trim();
        }
        catch (IOException)
        {
            return "unknown PID";
        }
    }

    public void Dispose() => _file.Dispose();
}
