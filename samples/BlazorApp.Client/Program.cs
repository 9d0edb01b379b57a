using Microsoft.AspNetCore.Components.WebAssembly.Hosting;

var builder = WebAssemblyHostBuilder.CreateDefault(args);

// AuthKit in WebAssembly: the session the server persisted into the page (no tokens), kept current by checking the
// server's session endpoint (every 30 s unless the server hands another interval over, and when the tab becomes visible).
builder.Services.AddAuthKitWebAssembly();

// The server's API proxy (MapAuthKitApiProxy("/bff/{**path}", ...)): the browser sends the session cookie, this
// handler the anti-CSRF header, and the server attaches the user's access token.
builder.Services.AddHttpClient("bff", client => client.BaseAddress = new Uri(new Uri(builder.HostEnvironment.BaseAddress), "bff/"))
    .AddAuthKitApiProxyHandler();

await builder.Build().RunAsync();
