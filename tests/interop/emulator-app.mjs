// A minimal Node AuthKit app on the real @workos/authkit-session package, for the several-servers E2E suite
// (tests/AuthKit.E2E.Tests/SeveralServers): it shares the standalone emulator and the session cookie with the .NET
// servers. Configured by the WORKOS_* environment variables the package reads (the emulator's host, port, client id
// and API key; the cookie password the .NET servers use).
//
// argv:   the wos-session value as the browser sends it
// stdout: {"sessionId", "email", "organizationId", "cookie": "<the refreshed session, encoded as the package writes it>",
//          "verifiedEmail": "<withAuth's user for that cookie>"}
// Reads the session from the cookie, refreshes it at the emulator (refreshSession: a refresh grant there), and checks the
// new cookie with withAuth (a JWKS fetch and verification against the emulator).
import { createAuthService, CookieSessionStorage } from '@workos/authkit-session';

class RequestCookies extends CookieSessionStorage {
  async getCookie(request, name) {
    const raw = request[name];
    return raw == null ? null : decodeURIComponent(raw);
  }
}

const service = createAuthService({ sessionStorageFactory: config => new RequestCookies(config) });
const session = await service.getSession({ 'wos-session': process.argv[2] ?? '' });
if (!session) {
  process.stderr.write('the cookie holds no session the package can read\n');
  process.exit(3);
}

const { auth, encryptedSession } = await service.refreshSession(session);
const cookie = encodeURIComponent(encryptedSession);
const verified = await service.withAuth({ 'wos-session': cookie });
process.stdout.write(JSON.stringify({
  sessionId: auth.user ? auth.sessionId : null,
  email: auth.user?.email ?? null,
  organizationId: auth.user ? auth.organizationId ?? null : null,
  cookie,
  verifiedEmail: verified.auth.user?.email ?? null,
}));
