using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace AuthKit.Session.Tests.Fakes;

/// <summary>A <see cref="FakeTimeProvider"/> that reports each timer created, so tests can advance the clock exactly when a delay is pending.</summary>
public sealed class SignalingTimeProvider() : FakeTimeProvider(new DateTimeOffset(2026, 1, 15, 12, 0, 0, TimeSpan.Zero))
{
    private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _timers.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>Waits (real time, bounded) until a timer with <paramref name="dueTime"/> has been created.</summary>
    public async Task WaitForTimerAsync(TimeSpan dueTime)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var created = await _timers.Reader.ReadAsync(timeout.Token);
            if (created == dueTime)
            {
                return;
            }
        }
    }
}
