namespace AuthKit.Blazor;

/// <summary>The step-up the current request or circuit last failed (the smallest max age asked for), until taken.</summary>
internal sealed class StepUpState
{
    private TimeSpan? _pending;

    public void Record(TimeSpan maxAge) => _pending = _pending is { } current && current <= maxAge ? current : maxAge;

    /// <summary>Returns and clears the pending step-up.</summary>
    public TimeSpan? Take()
    {
        var pending = _pending;
        _pending = null;
        return pending;
    }
}
