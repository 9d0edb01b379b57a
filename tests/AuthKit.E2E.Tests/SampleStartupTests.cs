namespace AuthKit.E2E.Tests;

/// <summary>How the sample starts: dev mode on the emulator, and a clear failure outside Development without settings.</summary>
[Collection(SampleAppCollection.Name)]
public sealed class SampleStartupTests(SampleAppFixture fixture)
{
    [Fact]
    public void Dev_mode_logs_one_line_saying_it_uses_the_emulator_and_how_to_use_real_workos()
    {
        var lines = fixture.App.Output.Split('\n').Where(l => l.Contains("WorkOS emulator", StringComparison.Ordinal)).ToList();

        var line = Assert.Single(lines);
        Assert.Contains(fixture.App.EmulatorUri.ToString(), line, StringComparison.Ordinal);
        foreach (var variable in new[] { "WORKOS_CLIENT_ID", "WORKOS_API_KEY", "WORKOS_REDIRECT_URI", "WORKOS_COOKIE_PASSWORD" })
        {
            Assert.Contains(variable, line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Outside_development_without_workos_settings_the_sample_fails_at_startup_naming_the_missing_settings()
    {
        var (exitCode, output) = await SampleAppProcess.RunUntilExitAsync("Production", new Dictionary<string, string>(), TimeSpan.FromSeconds(60));

        Assert.True(exitCode is not null, $"the sample kept running without WorkOS settings:{Environment.NewLine}{output}");
        Assert.NotEqual(0, exitCode);
        Assert.Contains("WORKOS_CLIENT_ID", output, StringComparison.Ordinal);
        Assert.Contains("WORKOS_COOKIE_PASSWORD", output, StringComparison.Ordinal);
        Assert.DoesNotContain("WorkOS emulator", output, StringComparison.Ordinal);
    }
}
