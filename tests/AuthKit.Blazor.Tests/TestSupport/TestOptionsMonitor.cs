using Microsoft.Extensions.Options;

namespace AuthKit.Blazor.Tests.TestSupport;

/// <summary>An <see cref="IOptionsMonitor{TOptions}"/> that returns one instance for every name (tests mutate it before use).</summary>
internal sealed class TestOptionsMonitor<TOptions>(TOptions value) : IOptionsMonitor<TOptions>
{
    public TOptions CurrentValue => value;

    public TOptions Get(string? name) => value;

    public IDisposable? OnChange(Action<TOptions, string?> listener) => null;
}
