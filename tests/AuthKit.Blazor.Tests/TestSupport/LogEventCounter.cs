using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AuthKit.Blazor.Tests.TestSupport;

/// <summary>
/// A logger provider that counts AuthKit's log events (categories <c>AuthKit.*</c>, from Debug up) by <see cref="EventId"/> and lets a test await
/// a count, e.g. "99 callers joined the refresh flight" (event 3302), without polling or sleeping.
/// </summary>
internal sealed class LogEventCounter : ILoggerProvider
{
    private readonly ConcurrentDictionary<int, int> _counts = new();
    private readonly List<(int[] EventIds, int Count, TaskCompletionSource Reached)> _waits = [];
    private readonly Lock _gate = new();

    /// <summary>Adds this provider (at Debug level) to <paramref name="services"/>.</summary>
    public void AddTo(IServiceCollection services) =>
        services.AddLogging(logging => logging.AddProvider(this).AddFilter<LogEventCounter>(null, LogLevel.Debug));

    public int Count(int eventId) => _counts.GetValueOrDefault(eventId);

    /// <summary>How often any of <paramref name="eventIds"/> was logged, together.</summary>
    public int Count(int[] eventIds) => eventIds.Sum(Count);

    /// <summary>Completes once <paramref name="eventId"/> has been logged <paramref name="count"/> times.</summary>
    public Task WhenCountAsync(int eventId, int count) => WhenCountAsync([eventId], count);

    /// <summary>Completes once <paramref name="eventIds"/> have been logged <paramref name="count"/> times together.</summary>
    public Task WhenCountAsync(int[] eventIds, int count)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (Count(eventIds) >= count)
            {
                return Task.CompletedTask;
            }

            _waits.Add((eventIds, count, reached));
        }

        return reached.Task;
    }

    public ILogger CreateLogger(string categoryName) =>
        categoryName.StartsWith("AuthKit.", StringComparison.Ordinal) ? new Counting(this) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void Dispose()
    {
    }

    private void Record(int eventId)
    {
        _counts.AddOrUpdate(eventId, 1, static (_, c) => c + 1);
        lock (_gate)
        {
            foreach (var wait in _waits.Where(w => w.EventIds.Contains(eventId) && Count(w.EventIds) >= w.Count).ToList())
            {
                _waits.Remove(wait);
                wait.Reached.TrySetResult();
            }
        }
    }

    private sealed class Counting(LogEventCounter owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id != 0)
            {
                owner.Record(eventId.Id);
            }
        }
    }
}
