using System.Runtime.InteropServices;
using AuthKit.Emulator;
using AuthKit.Testing;

// authkit-emulator: the AuthKit.Testing WorkOS emulator as a standalone process (see README.md and docs/emulator.md).
const int UsageError = 2;

if (!EmulatorArguments.TryParse(args, out var arguments, out var error))
{
    await Console.Error.WriteLineAsync($"authkit-emulator: {error}");
    await Console.Error.WriteLineAsync(EmulatorArguments.Usage);
    return UsageError;
}

if (arguments.Help)
{
    Console.WriteLine(EmulatorArguments.Usage);
    return 0;
}

WorkOSEmulatorOptions options;
try
{
    options = new WorkOSEmulatorOptions
    {
        Port = arguments.Port,
        Seed = arguments.SeedFile is null ? EmulatorSeed.Demo : EmulatorSeed.FromJson(await File.ReadAllTextAsync(arguments.SeedFile)),
    };
}
catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
{
    await Console.Error.WriteLineAsync($"authkit-emulator: cannot load --seed '{arguments.SeedFile}': {ex.Message}");
    return UsageError;
}

if (arguments.AccessTokenLifetime is { } lifetime) options.AccessTokenLifetime = lifetime;
if (arguments.ClientId is { } clientId) options.ClientId = clientId;
if (arguments.ApiKey is { } apiKey) options.ApiKey = apiKey;
foreach (var host in arguments.AllowedHosts) options.AllowedRedirectHosts.Add(host);

// Stop on Ctrl+C (SIGINT), SIGTERM and SIGQUIT: cancel the default termination, dispose the emulator, exit 0.
var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
void OnSignal(PosixSignalContext context)
{
    context.Cancel = true;
    stop.TrySetResult();
}

using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
using var sigquit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, OnSignal);

WorkOSEmulator emulator;
try
{
    emulator = await WorkOSEmulator.StartAsync(options);
}
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync($"authkit-emulator: {ex.Message}");
    return UsageError;
}
catch (IOException ex)
{
    await Console.Error.WriteLineAsync($"authkit-emulator: cannot listen on 127.0.0.1:{options.Port}: {ex.Message}");
    return 1;
}

await using (emulator)
{
    foreach (var line in StartupBanner.Lines(emulator))
    {
        Console.WriteLine(line);
    }

    await Console.Out.FlushAsync();
    await stop.Task;
    Console.WriteLine("authkit-emulator: stopping");
}

Console.WriteLine("authkit-emulator: stopped");
return 0;
