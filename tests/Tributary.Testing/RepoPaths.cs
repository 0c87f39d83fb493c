namespace Tributary.Testing;

/// <summary>Finds files of this repository from a test's output folder.</summary>
public static class RepoPaths
{
    /// <summary>The repository root: the nearest ancestor holding Cluster.sln.</summary>
    public static string Root { get; } = FindRoot();

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cluster.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Cluster.sln above {AppContext.BaseDirectory}: tests must run from the repository.");
    }
}
