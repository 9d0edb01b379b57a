using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using AuthKit.E2E.Tests;
using Xunit.Abstractions;

namespace AuthKit.NewApp.Tests;

/// <summary>
/// A new user's two paths, end to end, with the packages as NuGet packages from a local feed: the official
/// <c>dotnet new blazor --interactivity Server</c> app plus exactly README.md's steps, and <c>dotnet new authkit-blazor</c>.
/// Each is built with <c>-warnaserror</c>, started with <c>dotnet run</c> and signed in and out in Chromium.
/// </summary>
[Collection(NewAppCollection.Name)]
public sealed partial class NewAppTests(NewAppFixture fixture, ITestOutputHelper output)
{
    private const string Alice = "alice@example.com";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan CliTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task The_official_blazor_server_app_with_the_READMEs_steps_builds_without_warnings_and_signs_in_and_out_against_the_emulator_tool()
    {
        var total = Stopwatch.StartNew();
        ReportShared();
        var steps = ReadmeSteps.Parse(await File.ReadAllTextAsync(Path.Combine(fixture.RepositoryRoot, "README.md")));
        Assert.Contains(steps, s => s.Kind == ReadmeStepKind.Run);
        Assert.Contains(steps, s => s.Kind == ReadmeStepKind.Environment);
        Assert.Contains(steps, s => s.File == "Program.cs");
        Assert.Contains(steps, s => s.File == "Components/_Imports.razor");
        Assert.Contains(steps, s => s.File == "Components/Routes.razor");

        var root = fixture.NewDirectory("readme");
        await Step(root, ["new", "blazor", "--interactivity", "Server", "-o", "ReadmeApp", "--no-restore"]);
        var app = Path.Combine(root, "ReadmeApp");
        foreach (var command in steps.Where(s => s.Kind == ReadmeStepKind.Run).SelectMany(s => s.Commands))
        {
            await Step(app, command);
        }

        foreach (var line in ReadmeSteps.ApplyFiles(steps, app))
        {
            output.WriteLine("README: " + line);
        }

        Assert.Contains($"Include=\"AuthKit.Blazor\" Version=\"{fixture.PackageVersion}\"", await File.ReadAllTextAsync(Path.Combine(app, "ReadmeApp.csproj")), StringComparison.Ordinal);
        await Step(app, ["build", "-warnaserror", "-nologo", "-v", "q", "--disable-build-servers"], NewAppFixture.BuildTimeout);

        // The emulator as the README runs it: the authkit-emulator tool, from its package.
        var tools = fixture.NewDirectory("readme-tools");
        await Step(root, ["tool", "install", "AuthKit.Emulator", "--tool-path", tools, "--version", fixture.PackageVersion]);
        var emulatorPort = Dotnet.GetFreeLoopbackPort();
        await using var emulator = RunningProcess.Start(Dotnet.StartInfo(Path.Combine(tools, "authkit-emulator"), root, ["--port", emulatorPort.ToString(CultureInfo.InvariantCulture)]));
        await emulator.WaitForOutputAsync("Press Ctrl+C to stop.", StartTimeout);
        var printed = ExportLines().Matches(emulator.Output).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value);
        Assert.NotEmpty(printed);

        // The app's settings are the README's env block: the emulator's values where it prints them, the app's own
        // redirect URI (README's path on this run's origin) and a fresh cookie password.
        var appUri = new Uri($"http://127.0.0.1:{Dotnet.GetFreeLoopbackPort()}/");
        var readmeExports = steps.Where(s => s.Kind == ReadmeStepKind.Environment).SelectMany(s => s.Exports).ToList();
        var environment = new Dictionary<string, string>();
        foreach (var (name, value) in readmeExports)
        {
            environment[name] = name switch
            {
                "WORKOS_REDIRECT_URI" => new Uri(appUri, new Uri(value).AbsolutePath).ToString(),
                "WORKOS_COOKIE_PASSWORD" => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                _ when printed.TryGetValue(name, out var fromEmulator) => fromEmulator,
                _ => throw new InvalidOperationException($"README's env block sets {name}, which the emulator does not print and the test does not know."),
            };
        }

        Assert.All(printed.Keys, name => Assert.Contains(name, environment.Keys));
        Assert.Equal(["WORKOS_API_HOSTNAME", "WORKOS_API_HTTPS", "WORKOS_API_KEY", "WORKOS_API_PORT", "WORKOS_CLIENT_ID", "WORKOS_COOKIE_PASSWORD", "WORKOS_REDIRECT_URI"],
            environment.Keys.Order(StringComparer.Ordinal));

        await using var running = await StartAppAsync(app, appUri, environment);
        await SignInAndOutAsync(running, appUri, "readme-app");
        output.WriteLine($"readme app test: {total.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task Dotnet_new_authkit_blazor_builds_without_warnings_and_dotnet_run_signs_in_and_out_with_the_built_in_emulator()
    {
        var total = Stopwatch.StartNew();
        ReportShared();
        var root = fixture.NewDirectory("template");
        var hive = await InstallTemplatesAsync();
        await Step(root, ["new", "authkit-blazor", "-o", "TemplateApp", "--debug:custom-hive", hive]);
        var app = Path.Combine(root, "TemplateApp");
        var project = await File.ReadAllTextAsync(Path.Combine(app, "TemplateApp.csproj"));
        Assert.Contains($"Include=\"AuthKit.Blazor\" Version=\"{fixture.PackageVersion}\"", project, StringComparison.Ordinal);
        Assert.Contains($"Include=\"AuthKit.Testing\" Version=\"{fixture.PackageVersion}\"", project, StringComparison.Ordinal);
        Assert.Contains("namespace TemplateApp;", await File.ReadAllTextAsync(Path.Combine(app, "DevelopmentEmulator.cs")), StringComparison.Ordinal);
        Assert.DoesNotContain("AuthKitBlazorApp", string.Concat(Directory.GetFiles(app, "*", SearchOption.AllDirectories).Select(File.ReadAllText)), StringComparison.Ordinal);

        await Step(app, ["build", "-warnaserror", "-nologo", "-v", "q", "--disable-build-servers"], NewAppFixture.BuildTimeout);

        // No WorkOS settings at all: Development (from launchSettings.json under dotnet run) starts the built-in emulator.
        var appUri = new Uri($"http://127.0.0.1:{Dotnet.GetFreeLoopbackPort()}/");
        await using var running = await StartAppAsync(app, appUri, new Dictionary<string, string>());
        Assert.Contains("using the built-in WorkOS emulator", running.Output, StringComparison.Ordinal);
        await SignInAndOutAsync(running, appUri, "template-app");
        output.WriteLine($"template app test: {total.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task Dotnet_new_authkit_blazor_with_emulator_false_has_no_emulator_and_builds_without_warnings()
    {
        var total = Stopwatch.StartNew();
        var root = fixture.NewDirectory("template-no-emulator");
        var hive = await InstallTemplatesAsync();
        await Step(root, ["new", "authkit-blazor", "-o", "PlainApp", "--emulator", "false", "--debug:custom-hive", hive]);
        var app = Path.Combine(root, "PlainApp");
        Assert.False(File.Exists(Path.Combine(app, "DevelopmentEmulator.cs")));
        var project = await File.ReadAllTextAsync(Path.Combine(app, "PlainApp.csproj"));
        Assert.Contains($"Include=\"AuthKit.Blazor\" Version=\"{fixture.PackageVersion}\"", project, StringComparison.Ordinal);
        Assert.DoesNotContain("AuthKit.Testing", project, StringComparison.Ordinal);
        var program = await File.ReadAllTextAsync(Path.Combine(app, "Program.cs"));
        Assert.DoesNotContain("emulator", program, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("#if", program, StringComparison.Ordinal);
        Assert.Contains("builder.Services.AddAuthKit();", program, StringComparison.Ordinal);

        await Step(app, ["build", "-warnaserror", "-nologo", "-v", "q", "--disable-build-servers"], NewAppFixture.BuildTimeout);
        output.WriteLine($"template --emulator false test: {total.Elapsed.TotalSeconds:F1} s");
    }

    [Theory]
    [InlineData("WebAssembly")]
    [InlineData("Auto")]
    public async Task Dotnet_new_authkit_blazor_in_WebAssembly_and_Auto_builds_a_server_and_a_client_project_without_warnings_and_signs_in_and_out_in_WebAssembly(string renderMode)
    {
        var total = Stopwatch.StartNew();
        var root = fixture.NewDirectory("template-" + renderMode.ToLowerInvariant());
        var hive = await InstallTemplatesAsync();
        var name = renderMode + "App";
        await Step(root, ["new", "authkit-blazor", "-o", name, "--render-mode", renderMode, "--debug:custom-hive", hive]);
        var solution = Path.Combine(root, name);
        var server = Path.Combine(solution, name);
        var client = Path.Combine(solution, name + ".Client");

        // The layout of dotnet new blazor --interactivity WebAssembly|Auto --all-interactive: the router, layout and pages
        // in the client project; App.razor, the error page and the emulator on the server.
        Assert.True(File.Exists(Path.Combine(solution, name + ".slnx")));
        static string[] Files(string directory, params string[] expected) => [.. (expected.Length > 0 ? expected
            : Directory.GetFiles(directory, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(directory, f).Replace('\\', '/'))).Order(StringComparer.Ordinal)];
        Assert.Equal(Files("", "Layout/MainLayout.razor", "Pages/Account.razor", "Pages/Home.razor", "Pages/NotFound.razor", "Program.cs", "Routes.razor", "_Imports.razor", name + ".Client.csproj"), Files(client));
        Assert.Equal(Files("", "App.razor", "Pages/Error.razor", "_Imports.razor"), Files(Path.Combine(server, "Components")));
        var serverProject = await File.ReadAllTextAsync(Path.Combine(server, name + ".csproj"));
        Assert.Contains($"Include=\"AuthKit.Blazor\" Version=\"{fixture.PackageVersion}\"", serverProject, StringComparison.Ordinal);
        Assert.Contains($"Include=\"../{name}.Client/{name}.Client.csproj\"", serverProject, StringComparison.Ordinal);
        Assert.Contains($"Include=\"AuthKit.Blazor.WebAssembly\" Version=\"{fixture.PackageVersion}\"", await File.ReadAllTextAsync(Path.Combine(client, name + ".Client.csproj")), StringComparison.Ordinal);
        var program = await File.ReadAllTextAsync(Path.Combine(server, "Program.cs"));
        Assert.Contains(".AddWebAssemblySupport();", program, StringComparison.Ordinal);
        Assert.Contains(".AddInteractiveWebAssemblyRenderMode()", program, StringComparison.Ordinal);
        Assert.Equal(renderMode == "Auto", program.Contains(".AddInteractiveServerRenderMode()", StringComparison.Ordinal));
        Assert.Contains(renderMode == "Auto" ? "? InteractiveAuto : null" : "? InteractiveWebAssembly : null", await File.ReadAllTextAsync(Path.Combine(server, "Components", "App.razor")), StringComparison.Ordinal);
        Assert.DoesNotContain("AuthKitBlazorApp", string.Concat(Directory.GetFiles(solution, "*", SearchOption.AllDirectories).Select(File.ReadAllText)), StringComparison.Ordinal);
        Assert.DoesNotContain("#if", string.Concat(Directory.GetFiles(solution, "*", SearchOption.AllDirectories).Select(File.ReadAllText)), StringComparison.Ordinal);

        await Step(solution, ["build", name + ".slnx", "-warnaserror", "-nologo", "-v", "q", "--disable-build-servers"], NewAppFixture.BuildTimeout);

        var appUri = new Uri($"http://127.0.0.1:{Dotnet.GetFreeLoopbackPort()}/");
        await using var running = await StartAppAsync(server, appUri, new Dictionary<string, string>());
        Assert.Contains("using the built-in WorkOS emulator", running.Output, StringComparison.Ordinal);
        await SignInAndOutAsync(running, appUri, "template-" + renderMode.ToLowerInvariant(), async page =>
        {
            // The [Authorize] page runs in WebAssembly: at once in WebAssembly mode; in Auto once the runtime is in the
            // browser's cache (the first visit may use a circuit while it downloads).
            var rendered = page.GetByTestId("render-mode");
            if (renderMode == "Auto")
            {
                await Expect(rendered).ToHaveTextAsync(new Regex(@"^interactively \((Server|WebAssembly)\)$"));
                var first = await rendered.TextContentAsync();
                output.WriteLine($"Auto: the first visit rendered {first}");
                if (first != "interactively (WebAssembly)")
                {
                    // A circuit renders while the runtime loads in the background. blazor.web.js records a loaded runtime
                    // in localStorage ("blazor-resource-hash:<app>"); from then on Auto picks WebAssembly.
                    await page.WaitForFunctionAsync("() => Object.keys(localStorage).some(k => k.startsWith('blazor-resource-hash:'))", null, new() { Timeout = 60_000 });
                    await page.ReloadAsync();
                }
            }

            await Expect(rendered).ToHaveTextAsync("interactively (WebAssembly)");
            await Expect(page.GetByTestId("account-email")).ToHaveTextAsync(Alice);
        });
        output.WriteLine($"template --render-mode {renderMode} test: {total.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task The_template_offers_the_Server_WebAssembly_and_Auto_render_modes_and_refuses_others()
    {
        var hive = await InstallTemplatesAsync();
        var root = fixture.NewDirectory("template-render-mode");
        var help = await Step(root, ["new", "authkit-blazor", "--help", "--debug:custom-hive", hive]);
        Assert.Contains("--emulator", help, StringComparison.Ordinal);
        Assert.Contains("--render-mode", help, StringComparison.Ordinal);
        foreach (var choice in new[] { "Server", "WebAssembly", "Auto" })
        {
            Assert.Contains(choice, help, StringComparison.Ordinal);
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Dotnet.RunAsync(root, ["new", "authkit-blazor", "-o", "StaticApp", "--render-mode", "Static", "--debug:custom-hive", hive], CliTimeout));
        Assert.Contains("Static", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(root, "StaticApp")));
    }

    [Fact]
    public void The_templates_ASP_NET_Core_package_versions_are_the_repositorys()
    {
        // The template pins Microsoft.AspNetCore.Components.WebAssembly(.Server) (packing rewrites only AuthKit.*
        // versions): they must be the versions the repository builds and tests with.
        var central = System.Xml.Linq.XDocument.Load(Path.Combine(fixture.RepositoryRoot, "Directory.Packages.props"))
            .Descendants("PackageVersion").ToDictionary(e => (string)e.Attribute("Include")!, e => (string)e.Attribute("Version")!);
        var content = Path.Combine(fixture.RepositoryRoot, "templates", "AuthKit.Templates", "content");
        var pinned = Directory.GetFiles(content, "*.csproj", SearchOption.AllDirectories)
            .SelectMany(f => System.Xml.Linq.XDocument.Parse(File.ReadAllText(f)).Descendants("PackageReference"))
            .Select(e => ((string)e.Attribute("Include")!, (string)e.Attribute("Version")!))
            .Where(r => !r.Item1.StartsWith("AuthKit.", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(["Microsoft.AspNetCore.Components.WebAssembly", "Microsoft.AspNetCore.Components.WebAssembly.Server"], pinned.Select(r => r.Item1).Order(StringComparer.Ordinal));
        Assert.All(pinned, r => Assert.Equal(central[r.Item1], r.Item2));
    }

    private async Task<string> InstallTemplatesAsync()
    {
        // An isolated template hive: the machine's `dotnet new` template list is not touched.
        var hive = Path.Combine(fixture.WorkDirectory, "hive");
        if (!Directory.Exists(hive))
        {
            await Step(fixture.WorkDirectory, ["new", "install", Path.Combine(fixture.FeedDirectory, $"AuthKit.Templates.{fixture.PackageVersion}.nupkg"), "--debug:custom-hive", hive]);
        }

        return hive;
    }

    private async Task<RunningProcess> StartAppAsync(string app, Uri appUri, IReadOnlyDictionary<string, string> environment)
    {
        // `dotnet run` as a user types it (its launch profile sets Development), on this run's free port.
        var running = RunningProcess.Start(Dotnet.StartInfo(Dotnet.HostPath, app, ["run", "--no-build", "--", "--urls", appUri.ToString().TrimEnd('/')], environment));
        var stopwatch = Stopwatch.StartNew();
        try
        {
            await running.WaitUntilServingAsync(appUri, StartTimeout);
        }
        catch
        {
            await running.DisposeAsync();
            throw;
        }

        output.WriteLine($"app serving after {stopwatch.Elapsed.TotalSeconds:F1} s");
        return running;
    }

    private async Task SignInAndOutAsync(RunningProcess app, Uri appUri, string name, Func<IPage, Task>? onAccountPage = null)
    {
        var stopwatch = Stopwatch.StartNew();
        await using var session = await BrowserSession.CreateAsync(fixture.Browser, appUri, name);
        try
        {
            var home = new Regex($"^{Regex.Escape(appUri.ToString())}$");
            var signInPage = new Regex(@"^http://127\.0\.0\.1:\d+/user_management/authorize");
            var page = await session.NewPageAsync();
            await page.GotoAsync(appUri.ToString());
            var main = page.GetByRole(AriaRole.Main);
            await Expect(main.GetByRole(AriaRole.Link, new() { Name = "Sign up" })).ToBeVisibleAsync();
            await main.GetByRole(AriaRole.Link, new() { Name = "Sign in" }).ClickAsync();

            await Expect(page).ToHaveURLAsync(signInPage);
            await page.GetByRole(AriaRole.Button, new() { Name = Alice }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Choose an organization" })).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Acme Corp" }).ClickAsync();

            await Expect(page).ToHaveURLAsync(home);
            await Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync($"Signed in as {Alice}");
            var cookie = (await session.Context.CookiesAsync()).SingleOrDefault(c => c.Name == "wos-session");
            Assert.NotNull(cookie);
            Assert.True(cookie.HttpOnly);

            // The [Authorize] page, signed in.
            await page.GotoAsync(new Uri(appUri, "account").ToString());
            await Expect(page.GetByTestId("account-email")).ToHaveTextAsync(Alice);
            if (onAccountPage is not null)
            {
                await onAccountPage(page);
            }

            // Sign out from home: back home signed out, the cookie gone, and the [Authorize] page asks for sign-in again.
            await page.GotoAsync(appUri.ToString());
            await main.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(home);
            await Expect(main.GetByRole(AriaRole.Link, new() { Name = "Sign in" })).ToBeVisibleAsync();
            await Expect(page.GetByTestId("signed-in-as")).ToHaveCountAsync(0);
            Assert.DoesNotContain(await session.Context.CookiesAsync(), c => c.Name == "wos-session");
            await page.GotoAsync(new Uri(appUri, "account").ToString());
            await Expect(page).ToHaveURLAsync(signInPage);
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = Alice })).ToBeVisibleAsync();

            Assert.True(session.UnexpectedConsoleErrors.Count == 0,
                "The browser console reported errors:" + Environment.NewLine + string.Join(Environment.NewLine, session.UnexpectedConsoleErrors));
            output.WriteLine($"sign-in and sign-out in Chromium: {stopwatch.Elapsed.TotalSeconds:F1} s");
        }
        catch
        {
            await session.SaveFailureArtifactsAsync(app.Output);
            output.WriteLine($"Artifacts saved under {SampleAppFixture.ArtifactsDirectory}; app output:{Environment.NewLine}{app.Output}");
            throw;
        }
    }

    private async Task<string> Step(string directory, IReadOnlyList<string> arguments, TimeSpan? timeout = null)
    {
        var text = await Dotnet.RunAsync(directory, arguments, timeout ?? CliTimeout);
        output.WriteLine(text.Split(Environment.NewLine)[0]);
        return text;
    }

    private void ReportShared()
    {
        foreach (var timing in fixture.Timings)
        {
            output.WriteLine("shared: " + timing);
        }

        foreach (var (name, bytes) in fixture.Packages)
        {
            output.WriteLine($"package: {name} {bytes} bytes");
        }
    }

    [GeneratedRegex(@"^export (?<name>WORKOS_[A-Z_]+)=(?<value>\S+)$", RegexOptions.Multiline)]
    private static partial Regex ExportLines();
}
