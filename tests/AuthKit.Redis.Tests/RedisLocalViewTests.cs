using AuthKit.Redis.Internal;
using AuthKit.Session;

namespace AuthKit.Redis.Tests;

/// <summary>The local view without Redis: a rotation record only goes from whole to superseded.</summary>
public sealed class RedisLocalViewTests
{
    private readonly RedisLocalView _view = new(TimeProvider.System, 100, 100);
    private readonly DateTimeOffset _later = DateTimeOffset.UtcNow.AddMinutes(5);

    [Fact]
    public void A_late_copy_of_a_whole_record_does_not_bring_back_the_sealed_session_of_a_superseded_one()
    {
        // This server superseded rt_0 with its own write before the message of the server that wrote rt_0 arrived.
        _view.AddRotation("rt_0", new SessionRotation("", "rt_1"), _later);
        _view.AddRotation("rt_0", new SessionRotation("sealed_1", "rt_1"), _later);

        Assert.Equal(new SessionRotation("", "rt_1"), _view.GetRotation("rt_0"));
    }

    [Fact]
    public void A_whole_record_is_superseded_and_a_record_with_another_successor_replaces_either()
    {
        _view.AddRotation("rt_0", new SessionRotation("sealed_1", "rt_1"), _later);
        Assert.Equal(new SessionRotation("sealed_1", "rt_1"), _view.GetRotation("rt_0"));

        _view.AddRotation("rt_0", new SessionRotation("", "rt_1"), _later);
        Assert.True(_view.GetRotation("rt_0")!.IsSuperseded);

        _view.AddRotation("rt_0", new SessionRotation("sealed_x", "rt_x"), _later); // not a copy of the same record
        Assert.Equal(new SessionRotation("sealed_x", "rt_x"), _view.GetRotation("rt_0"));
    }
}
