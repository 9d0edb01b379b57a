using System.Net;
using System.Security.Claims;
using AuthKit.Blazor.Tests.TestSupport;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AuthKit.Blazor.Tests.Circuits;

/// <summary>
/// An app with its own scoped <see cref="IClaimsTransformation"/> (adds the role <c>editor</c>) and a role policy,
/// against the real scheme, relay and emulator: the role the HTTP pipeline added stays through refreshes inside a
/// simulated circuit.
/// </summary>
public sealed class CircuitClaimsTransformationTests : IAsyncLifetime
{
    private const string EditorsPolicy = "editors";

    private AuthKitTestHost _host = null!;
    private ClaimsPrincipal? _lastPrincipal;

    public async Task InitializeAsync() =>
        _host = await AuthKitTestHost.StartAsync(
            configure: authKit =>
            {
                authKit.Services.AddScoped<IClaimsTransformation, RecordingClaimsTransformation>();
                authKit.Services.AddAuthorization(o => o.AddPolicy(EditorsPolicy, p => p.RequireRole(RecordingClaimsTransformation.Role)));
            },
            map: app => app.MapGet("/_circuit", (HttpContext ctx) =>
            {
                _lastPrincipal = ctx.User;
                return "ok";
            }));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_apps_transformed_role_survives_refreshes_inside_the_circuit()
    {
        var browser = _host.NewBrowser();
        await _host.SignInAsync(browser);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/_circuit")).StatusCode);
        Assert.True(_lastPrincipal!.IsInRole(RecordingClaimsTransformation.Role)); // applied by the HTTP pipeline
        await using var circuit = await SimulatedCircuit.OpenAsync(_host, _lastPrincipal);
        var first = circuit.Auth;

        await circuit.RunForAsync(TimeSpan.FromMinutes(11));

        Assert.True(circuit.StateChanges >= 2, $"expected a replaced principal per refresh, saw {circuit.StateChanges}");
        Assert.NotEqual(first.AccessToken, circuit.Auth.AccessToken);
        Assert.Equal(first.SessionId, circuit.User.GetAuthResult().SessionId);
        Assert.True(circuit.User.IsInRole(RecordingClaimsTransformation.Role));
        var authorization = circuit.Services.GetRequiredService<IAuthorizationService>();
        Assert.True((await authorization.AuthorizeAsync(circuit.User, EditorsPolicy)).Succeeded);
        // The circuit's own (scoped) instance transformed each new principal, once per refresh.
        var transformation = Assert.IsType<RecordingClaimsTransformation>(circuit.Services.GetRequiredService<IClaimsTransformation>());
        Assert.Equal(circuit.StateChanges, transformation.Calls.Count);
        Assert.Equal(0, _host.Emulator.RequestCounts.RejectedRefreshTokens);
    }
}
