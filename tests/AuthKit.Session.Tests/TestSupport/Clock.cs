using Microsoft.Extensions.Time.Testing;

namespace AuthKit.Session.Tests.TestSupport;

internal static class Clock
{
    public static FakeTimeProvider At(long unixMs) => new(DateTimeOffset.FromUnixTimeMilliseconds(unixMs));
}
