namespace AuthKit.Session;

/// <summary>A rotation or an ended session, pushed to <see cref="ISessionStore.Subscribe"/> handlers.</summary>
/// <param name="Kind">Rotation or ended session.</param>
/// <param name="Key">The store key it concerns.</param>
public readonly record struct SessionStoreNotification(SessionStoreNotificationKind Kind, string Key);
