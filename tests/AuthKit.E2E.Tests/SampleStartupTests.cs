using System.Text.RegularExpressions;

namespace AuthKit.E2E.Tests;

/// <summary>How the sample starts: dev mode on the emulator, and a clear failure outside Development without settings.</summary>
[Collection(SampleAppCollection.Name)]
public sealed partial class SampleStartupTests(SampleAppFixture fixture)
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

    [Fact]
    public async Task Outside_development_without_workos_settings_the_sample_prints_the_validation_message_without_a_stack_trace_and_exits_with_code_1()
    {
        // The process environment is stripped of WORKOS_* / AuthKit__*; all four names in the output show no appsettings supplied one.
        var (exitCode, output) = await SampleAppProcess.RunUntilExitAsync("Production", new Dictionary<string, string>(), TimeSpan.FromSeconds(60));

        Assert.True(exitCode is not null, $"the sample kept running without WorkOS settings:{Environment.NewLine}{output}");
        Assert.Equal(1, exitCode); // not 134 (an unhandled exception aborts the runtime with SIGABRT)
        foreach (var variable in new[] { "WORKOS_CLIENT_ID", "WORKOS_API_KEY", "WORKOS_REDIRECT_URI", "WORKOS_COOKIE_PASSWORD" })
        {
            Assert.Contains(variable, output, StringComparison.Ordinal);
        }

        var text = StderrPrefix().Replace(output, "");
        Assert.DoesNotMatch(StackTraceLine(), text);
        Assert.DoesNotContain("Unhandled exception", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Hosting failed to start", text, StringComparison.Ordinal);
        Assert.DoesNotContain("OptionsValidationException", text, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^\[stderr\] ", RegexOptions.Multiline)]
    private static partial Regex StderrPrefix();

    [GeneratedRegex(@"^\s+at \S+", RegexOptions.Multiline)]
    private static partial Regex StackTraceLine();
}
