using Microsoft.JSInterop;

namespace AuthKit.Blazor.WebAssembly.Internal;

/// <summary>The .NET side of <c>authkit-webassembly.js</c>'s <c>observeVisibility</c>: the tab became visible.</summary>
internal sealed class VisibilityCallback(Func<Task> onVisible)
{
    [JSInvokable("OnVisible")]
    public Task OnVisibleAsync() => onVisible();
}
