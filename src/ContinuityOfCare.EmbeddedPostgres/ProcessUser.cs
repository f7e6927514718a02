using System.Runtime.InteropServices;

namespace ContinuityOfCare.EmbeddedPostgres;

internal static partial class ProcessUser
{
    public static bool IsRoot => !OperatingSystem.IsWindows() && geteuid() == 0;

    [LibraryImport("libc", SetLastError = false)]
    private static partial uint geteuid();
}
