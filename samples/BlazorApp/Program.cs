using BlazorApp;
using BlazorApp.Api;
using BlazorApp.Components;

var builder = WebApplication.CreateBuilder(args);

// The build output runs in any environment (docs/deployment.md runs three Production servers from bin/): serve the static
// web assets of the referenced projects and packages (blazor.web.js, AuthKit's scripts) from their build locations, as
// Development does by default. A published app has no such manifest, and this does nothing there.
builder.WebHost.UseStaticWebAssets();

// Dev mode: no WorkOS settings + Development => the built-in WorkOS emulator with demo users.
await using var emulator = await DevelopmentEmulator.StartIfNeededAsync(builder);

builder.Services.AddRazorComponents()
    .AddInteractiveServerComponents()
    .AddInteractiveWebAssemblyComponents();

// WorkOS AuthKit: the "AuthKit" configuration section plus the WORKOS_* environment variables. WebAssembly and Auto
// pages (BlazorApp.Client) get the session persisted into the page (no tokens); Sample:SessionCheckInterval sets how
// often they check it (default 30 s).
var authKit = builder.Services.AddAuthKit()
    .AddWebAssemblySupport(o => o.SessionCheckInterval = builder.Configuration.GetValue<TimeSpan?>("Sample:SessionCheckInterval"));

// Several servers (docs/deployment.md): with ConnectionStrings:Redis (ConnectionStrings__Redis) set, the refresh lease,
// rotations and sign-outs are shared through Redis, and so is the data-protection key ring (antiforgery tokens rendered
// by one server validate on every other).
if (builder.Configuration.GetConnectionString("Redis") is { Length: > 0 } redis)
{
    authKit.UseRedis(o =>
    {
        o.Configuration = redis;
        o.DataProtectionApplicationName = "AuthKit.BlazorApp";
    });
}

// The sample's own APIs: /api/me accepts WorkOS access tokens as bearer tokens (AddAuthKitBearer; pages call it through an
// HttpClient whose handler attaches the current user's access token), /api/posts accepts WorkOS API keys (AddAuthKitApiKey).
builder.Services.AddMeApi();
builder.Services.AddHttpClient<MeApiClient>().AddAuthKitAccessToken();

var app = builder.Build();

// Invalid settings (e.g. no WorkOS settings outside Development) stop here: the validation message on stderr, exit code 1.
if (!StartupValidation.TryValidate(app.Services, Console.Error))
{
    return StartupValidation.ExitCode;
}

if (emulator is not null)
{
    var devLogger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("BlazorApp.DevMode");
    DevelopmentEmulator.LogUsingEmulator(devLogger, emulator.BaseUri);
    // A seeded demo key (EmulatorSeed.Demo), not a secret: the machine API /api/posts accepts it.
    DevelopmentEmulator.LogDemoApiKey(devLogger, "sk_test_demo_acme_reader", new Uri(new Uri(app.Configuration["AuthKit:RedirectUri"]!), "/").ToString());
}

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
    app.UseHsts();
}

// 403 (signed in, not allowed) and 404 render the app's own pages; /api keeps its bare status codes.
app.UseStatusCodePagesWithReExecute("/status/{0}", createScopeForStatusCodePages: true);
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapAuthKit();
app.MapMeApi();

// The WebAssembly pages call the sample's bearer API through the API proxy: /bff/me -> /api/me with the user's access token.
app.MapAuthKitApiProxy("/bff/{**path}", SampleApiBase.From(builder.Configuration) + "/api");

app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode()
    .AddInteractiveWebAssemblyRenderMode()
    .AddAdditionalAssemblies(typeof(BlazorApp.Client._Imports).Assembly);

app.Run();
return 0;
