using System.Collections.Concurrent;
using System.Net;
using AuthKit.Blazor.Tests.TestSupport;
using AuthKit.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AuthKit.Blazor.Tests.Integration;

public sealed class EventsTests
{
    [Fact]
    public async Task OnSignedIn_sees_the_user_and_can_change_the_redirect()
    {
        string? seenEmail = null;
        await using var host = await AuthKitTestHost.StartAsync(b => b.WithEvents(e => e.OnSignedIn = ctx =>
        {
            seenEmail = ctx.Response.User.Email;
            ctx.ReturnPath = "/welcome";
            return Task.CompletedTask;
        }));
        var browser = host.NewBrowser();

        var callback = await host.SignInAsync(browser, returnPathname: "/protected");

        Assert.Equal("alice@example.com", seenEmail);
        Assert.Equal("/welcome", callback.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task OnSignedIn_sees_the_request_user_with_the_apps_transformed_claims()
    {
        string? seenDepartment = null;
        string? seenEmail = null;
        await using var host = await AuthKitTestHost.StartAsync(b =>
        {
            b.Services.AddSingleton<Microsoft.AspNetCore.Authentication.IClaimsTransformation, DepartmentClaim>();
            b.WithEvents(e => e.OnSignedIn = ctx =>
            {
                seenDepartment = ctx.HttpContext!.User.FindFirst("department")?.Value;
                seenEmail = ctx.HttpContext.User.GetAuthResult().User?.Email;
                return Task.CompletedTask;
            });
        });
        var browser = host.NewBrowser();

        await host.SignInAsync(browser, returnPathname: "/protected");

        Assert.Equal("engineering", seenDepartment);
        Assert.Equal("alice@example.com", seenEmail);
    }

    private sealed class DepartmentClaim : Microsoft.AspNetCore.Authentication.IClaimsTransformation
    {
        public Task<System.Security.Claims.ClaimsPrincipal> TransformAsync(System.Security.Claims.ClaimsPrincipal principal)
        {
            var clone = principal.Clone();
            ((System.Security.Claims.ClaimsIdentity)clone.Identity!).AddClaim(new System.Security.Claims.Claim("department", "engineering"));
            return Task.FromResult(clone);
        }
    }

    [Fact]
    public async Task OnSessionRefreshed_is_raised_once_per_refresh_not_once_per_waiting_request()
    {
        var refreshed = new ConcurrentBag<string?>();
        await using var host = await AuthKitTestHost.StartAsync(b => b.WithEvents(e => e.OnSessionRefreshed = ctx =>
        {
            refreshed.Add(ctx.Current.SessionId);
            return Task.CompletedTask;
        }));
        var browser = host.NewBrowser();
        await host.SignInAsync(browser);
        host.Advance(TimeSpan.FromMinutes(6));

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => browser.Clone().GetAsync("/protected")));

        Assert.Single(refreshed);
    }

    [Fact]
    public async Task OnSessionRefreshFailed_reports_transient_failures_and_a_throwing_handler_does_not_break_the_request()
    {
        var failures = new ConcurrentBag<bool>();
        await using var host = await AuthKitTestHost.StartAsync(b => b.WithEvents(e => e.OnSessionRefreshFailed = ctx =>
        {
            failures.Add(ctx.IsFinal);
            throw new InvalidOperationException("handler bug");
        }));
        var browser = host.NewBrowser();
        await host.SignInAsync(browser);
        host.Advance(TimeSpan.FromMinutes(4.5));
        host.Emulator.InjectFault(new EmulatorFault { Route = "/user_management/authenticate", GrantType = "refresh_token", Status = 502 });

        var response = await browser.GetAsync("/protected");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([false], failures);
    }

    [Fact]
    public async Task OnCallbackError_can_answer_with_its_own_result()
    {
        await using var host = await AuthKitTestHost.StartAsync(b => b.WithEvents(e => e.OnCallbackError = ctx =>
        {
            ctx.Result = TypedResults.Redirect("/custom-error?code=" + ctx.Error);
            return Task.CompletedTask;
        }));

        var response = await host.NewBrowser().GetAsync("/auth/callback?error=access_denied");

        Assert.Equal("/custom-error?code=access_denied", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task ErrorPath_receives_failed_callbacks_with_the_error_code()
    {
        await using var host = await AuthKitTestHost.StartAsync(b => b.ConfigureScheme(o => o.ErrorPath = "/signin-error"));

        var response = await host.NewBrowser().GetAsync("/auth/callback?code=abc&state=forged");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/signin-error?error=verifier_missing", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task An_events_subclass_registered_by_type_is_resolved_from_DI()
    {
        await using var host = await AuthKitTestHost.StartAsync(b => b.WithEvents<RecordingEvents>());
        var browser = host.NewBrowser();
        await host.SignInAsync(browser);

        await browser.PostFormWithAntiforgeryAsync("/auth/sign-out", new Dictionary<string, string>());

        Assert.Equal(1, RecordingEvents.SignedOutCount);
    }

    [Fact]
    public async Task An_EventsType_set_on_the_scheme_options_is_resolved_from_DI_and_its_overrides_are_called()
    {
        var journal = new EventJournal();
        await using var host = await AuthKitTestHost.StartAsync(b =>
        {
            b.Services.AddSingleton(journal);
            b.Services.AddScoped<JournalEvents>();
            b.ConfigureScheme(o => o.EventsType = typeof(JournalEvents));
        });
        var browser = host.NewBrowser();

        var callback = await host.SignInAsync(browser, returnPathname: "/protected");
        host.Advance(TimeSpan.FromMinutes(6));
        var refreshed = await browser.GetAsync("/protected");

        Assert.Equal("/from-events", callback.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        Assert.Equal(["signed-in:alice@example.com", "refreshed"], journal.Entries);
    }

    private sealed class EventJournal
    {
        public ConcurrentQueue<string> Entries { get; } = new();
    }

    /// <summary>Constructed by DI (its dependency proves it): sign-in comes from the callback endpoint, refresh from the handler.</summary>
    private sealed class JournalEvents(EventJournal journal) : AuthKitEvents
    {
        public override Task SignedInAsync(AuthKitSignedInContext context)
        {
            journal.Entries.Enqueue("signed-in:" + context.Response.User.Email);
            context.ReturnPath = "/from-events";
            return Task.CompletedTask;
        }

        public override Task SessionRefreshedAsync(AuthKitSessionRefreshedContext context)
        {
            journal.Entries.Enqueue("refreshed");
            return Task.CompletedTask;
        }
    }

    private sealed class RecordingEvents : AuthKitEvents
    {
        public static int SignedOutCount;

        public override Task SignedOutAsync(AuthKitSignedOutContext context)
        {
            Interlocked.Increment(ref SignedOutCount);
            return base.SignedOutAsync(context);
        }
    }
}
