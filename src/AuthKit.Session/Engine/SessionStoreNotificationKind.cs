namespace AuthKit.Session;

/// <summary>What a <see cref="SessionStoreNotification"/> reports.</summary>
public enum SessionStoreNotificationKind
{
    /// <summary>A refresh token was rotated (its key is the relay key of the old token).</summary>
    Rotated,

    /// <summary>A session ended (its key is the ended-session key of the session id).</summary>
    Ended,
}
