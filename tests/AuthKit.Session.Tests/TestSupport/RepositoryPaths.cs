namespace AuthKit.Session.Tests.TestSupport;

/// <summary>Locates the repository (the directory holding AuthKit.Blazor.sln) from the test assembly's directory.</summary>
internal static class RepositoryPaths
{
    private static readonly Lazy<string> Root = new(FindRoot);

    public static string RepositoryRoot => Root.Value;

    public static string InteropDirectory => Path.Combine(RepositoryRoot, "tests", "interop");

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AuthKit.Blazor.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException(
            $"Could not find AuthKit.Blazor.sln in any parent of {AppContext.BaseDirectory}; run the tests from inside the repository.");
    }
}
