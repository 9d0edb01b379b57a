namespace AuthKit.Blazor.Tests.Circuits;

public sealed class RevalidationScheduleTests
{
    private static readonly DateTimeOffset Now = TestAuth.Start;
    private static readonly TimeSpan Buffer = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(300, 1800, 240)] // 5 min token, long interval: 60 s before expiry
    [InlineData(300, 30, 30)] // short interval wins
    [InlineData(10, 1800, 5)] // token shorter than the buffer: half its lifetime
    [InlineData(3600, 1800, 1800)] // long token: the interval
    public void The_next_check_is_the_earlier_of_the_refresh_window_and_the_interval(int lifetimeSeconds, int intervalSeconds, int expectedSeconds)
    {
        var auth = TestAuth.Create(Now, TimeSpan.FromSeconds(lifetimeSeconds));

        var delay = RevalidationSchedule.NextDelay(Now, auth, retryNotBefore: null, Buffer, TimeSpan.FromSeconds(intervalSeconds));

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), delay);
    }

    [Fact]
    public void A_signed_out_session_needs_no_check()
    {
        Assert.Null(RevalidationSchedule.NextDelay(Now, AuthKit.Session.AuthResult.Anonymous, null, Buffer, TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void Inside_the_refresh_window_the_next_check_is_at_expiry()
    {
        var auth = TestAuth.Create(Now - TimeSpan.FromMinutes(4.5), TimeSpan.FromMinutes(5));

        var delay = RevalidationSchedule.NextDelay(Now, auth, null, Buffer, TimeSpan.FromMinutes(30));

        Assert.Equal(TimeSpan.FromSeconds(30), delay);
    }

    [Fact]
    public void After_a_transient_failure_the_retry_time_decides()
    {
        var auth = TestAuth.Create(Now - TimeSpan.FromMinutes(4.5), TimeSpan.FromMinutes(5));

        var delay = RevalidationSchedule.NextDelay(Now, auth, Now + TimeSpan.FromSeconds(12), Buffer, TimeSpan.FromMinutes(30));

        Assert.Equal(TimeSpan.FromSeconds(12), delay);
    }

    [Fact]
    public void An_expired_token_never_schedules_a_hot_loop()
    {
        var auth = TestAuth.Create(Now - TimeSpan.FromHours(1), TimeSpan.FromMinutes(5));

        var delay = RevalidationSchedule.NextDelay(Now, auth, null, Buffer, TimeSpan.FromMinutes(30));

        Assert.Equal(RevalidationSchedule.MinimumDelay, delay);
    }
}
