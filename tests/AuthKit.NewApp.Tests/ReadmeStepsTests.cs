namespace AuthKit.NewApp.Tests;

/// <summary>The README block reader and applier on small inputs (the new-app tests apply the real README).</summary>
public sealed class ReadmeStepsTests : IDisposable
{
    private readonly string _app = Directory.CreateTempSubdirectory("authkit-readme-steps-").FullName;

    [Fact]
    public void Parse_reads_each_marked_block_and_ignores_unmarked_ones()
    {
        var steps = ReadmeSteps.Parse("""
            text
            ```bash
            dotnet not-a-step
            ```
            <!-- newapp run -->
            ```bash
            dotnet add package AuthKit.Blazor --prerelease
            ```
            <!-- newapp file="Program.cs" insert-before="app.MapRazorComponents<App>()" -->
            ```csharp
            app.MapAuthKit();
            ```
            <!-- newapp env -->
            ```bash
            export WORKOS_CLIENT_ID=client_emulator
            export WORKOS_COOKIE_PASSWORD=$(openssl rand -base64 32)
            dotnet run
            ```
            """);

        Assert.Equal([ReadmeStepKind.Run, ReadmeStepKind.InsertBefore, ReadmeStepKind.Environment], steps.Select(s => s.Kind));
        Assert.Equal(["add", "package", "AuthKit.Blazor", "--prerelease"], Assert.Single(steps[0].Commands));
        Assert.Equal(("Program.cs", "app.MapRazorComponents<App>()", "app.MapAuthKit();\n"), (steps[1].File, steps[1].Anchor, steps[1].Content));
        Assert.Equal(["WORKOS_CLIENT_ID=client_emulator", "WORKOS_COOKIE_PASSWORD=$(openssl"], steps[2].Exports.Select(e => $"{e.Key}={e.Value}"));
    }

    [Theory]
    [InlineData("<!-- newapp -->\n```\nx\n```\n", "exactly one of")]
    [InlineData("<!-- newapp full -->\n```\nx\n```\n", "file=")]
    [InlineData("<!-- newapp file=\"../x\" full -->\n```\nx\n```\n", "file=")]
    [InlineData("<!-- newapp file=\"x\" replace -->\n```\nx\n```\n", "unknown")]
    [InlineData("<!-- newapp run -->\ntext\n```\nx\n```\n", "followed directly")]
    [InlineData("<!-- newapp run -->\n```\nrm -rf /\n```\n", "only dotnet commands")]
    public void Malformed_markers_and_blocks_are_rejected_with_the_README_line(string readme, string message)
    {
        var error = Assert.Throws<FormatException>(() => ReadmeSteps.Parse(readme).SelectMany(s => s.Commands).ToList());
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains("README line 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_inserts_after_and_before_the_anchor_line_appends_and_writes_full_files()
    {
        File.WriteAllText(Path.Combine(_app, "Program.cs"), "var b = 1;\nb.AddX();\napp.UseY();\napp.MapZ<App>();\napp.Run();\n");
        File.WriteAllText(Path.Combine(_app, "_Imports.razor"), "@using A");
        var steps = ReadmeSteps.Parse("""
            <!-- newapp file="Program.cs" insert-after="AddX();" -->
            ```csharp
            b.AddAuthKit();
            ```
            <!-- newapp file="Program.cs" insert-before="app.MapZ<App>()" -->
            ```csharp
            app.MapAuthKit();
            ```
            <!-- newapp file="_Imports.razor" append -->
            ```razor
            @using B
            ```
            <!-- newapp file="Pages/New.razor" full -->
            ```razor
            @page "/new"
            ```
            """);

        var log = ReadmeSteps.ApplyFiles(steps, _app);

        Assert.Equal(4, log.Count);
        Assert.Equal("var b = 1;\nb.AddX();\nb.AddAuthKit();\napp.UseY();\napp.MapAuthKit();\napp.MapZ<App>();\napp.Run();\n", File.ReadAllText(Path.Combine(_app, "Program.cs")));
        Assert.Equal("@using A\n@using B\n", File.ReadAllText(Path.Combine(_app, "_Imports.razor")));
        Assert.Equal("@page \"/new\"\n", File.ReadAllText(Path.Combine(_app, "Pages", "New.razor")));
    }

    [Theory]
    [InlineData("app.Use();\n", "occurs on 0 lines")]
    [InlineData("app.Map();\napp.Map();\n", "occurs on 2 lines")]
    public void An_anchor_must_be_on_exactly_one_line(string program, string message)
    {
        File.WriteAllText(Path.Combine(_app, "Program.cs"), program);
        var steps = ReadmeSteps.Parse("<!-- newapp file=\"Program.cs\" insert-after=\"app.Map()\" -->\n```\nx\n```\n");

        var error = Assert.Throws<InvalidOperationException>(() => ReadmeSteps.ApplyFiles(steps, _app));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(program, File.ReadAllText(Path.Combine(_app, "Program.cs")));
    }

    [Fact]
    public void A_file_to_change_must_exist()
    {
        var steps = ReadmeSteps.Parse("<!-- newapp file=\"Missing.razor\" append -->\n```\nx\n```\n");

        var error = Assert.Throws<InvalidOperationException>(() => ReadmeSteps.ApplyFiles(steps, _app));
        Assert.Contains("Missing.razor does not exist", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_app, recursive: true);
}
