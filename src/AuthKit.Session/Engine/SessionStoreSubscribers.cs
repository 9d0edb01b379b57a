namespace AuthKit.Session;

/// <summary>
/// The subscribers of a session store's notifications (<see cref="ISessionStore.Subscribe"/>): a copy-on-write array, so
/// notifying takes no lock; a subscriber that throws loses that notification, the others still get it.
/// </summary>
internal sealed class SessionStoreSubscribers
{
    private readonly Lock _lock = new();
    private Action<SessionStoreNotification>[] _handlers = [];

    /// <summary>Adds <paramref name="handler"/>; dispose the result (once or more) to remove it.</summary>
    public IDisposable Add(Action<SessionStoreNotification> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_lock)
        {
            _handlers = [.. _handlers, handler];
        }

        return new Subscription(this, handler);
    }

    /// <summary>Calls every subscriber with <paramref name="notification"/>.</summary>
    public void Notify(SessionStoreNotification notification)
    {
        foreach (var handler in Volatile.Read(ref _handlers))
        {
            try
            {
                handler(notification);
            }
            catch (Exception)
            {
                // A subscriber must not throw; one that does loses this notification, the others still get it.
            }
        }
    }

    private void Remove(Action<SessionStoreNotification> handler)
    {
        lock (_lock)
        {
            _handlers = [.. _handlers.Where(h => h != handler)];
        }
    }

    private sealed class Subscription(SessionStoreSubscribers owner, Action<SessionStoreNotification> handler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Remove(handler);
            }
        }
    }
}
