#!/usr/bin/env node
// Side-by-side benchmark (item 5 of the benchmarks issue): the real @workos/authkit-session 0.7.1
// AuthService.withAuth on the same kind of sealed session cookie the .NET benchmarks use.
//
//   node withauth.mjs <fixture.json> [seconds-per-phase] [rounds]   -> prints one JSON object on stdout
//
// The fixture (written by `AuthKit.Benchmarks fixture`) holds the cookie password, client id, the JWKS of the key the
// access tokens are signed with, one cookie and a pool of distinct cookies. The JWKS is served by a local HTTP server on
// loopback (the package fetches it through jose's createRemoteJWKSet from the WorkOS client's JWKS URL, which we point
// at 127.0.0.1 with apiHostname/apiHttps/apiPort); jose caches the key set after the first fetch, so the measured loop
// does no network I/O. Phases run sequentially on one event loop, one withAuth at a time (like the .NET figures),
// alternating same-cookie / distinct-cookie phases for several rounds; each figure is the median round.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { configure, createAuthService, CookieSessionStorage } from '@workos/authkit-session';

const [fixturePath, secondsArg, roundsArg] = process.argv.slice(2);
if (!fixturePath) {
  process.stderr.write('usage: node withauth.mjs <fixture.json> [seconds-per-phase] [rounds]\n');
  process.exit(2);
}
const seconds = Number(secondsArg ?? 3);
const rounds = Number(roundsArg ?? 3);
const fixture = JSON.parse(readFileSync(fixturePath, 'utf8'));

// A storage adapter as a framework would write it: the request is a plain object with a cookies map.
class BenchStorage extends CookieSessionStorage {
  async getCookie(request, name) {
    return request.cookies[name] ?? null;
  }
}

let jwksFetches = 0;
const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === `/sso/jwks/${fixture.clientId}`) {
    jwksFetches++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(fixture.jwks);
  } else {
    res.writeHead(404);
    res.end();
  }
});
await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();

configure({
  clientId: fixture.clientId,
  apiKey: 'sk_test_bench',
  redirectUri: 'https://app.example.com/callback',
  cookiePassword: fixture.cookiePassword,
  apiHostname: '127.0.0.1',
  apiHttps: false,
  apiPort: port,
});
const auth = createAuthService({ sessionStorageFactory: config => new BenchStorage(config) });
const request = cookie => ({ cookies: { 'wos-session': cookie } });

async function check(cookie) {
  const result = await auth.withAuth(request(cookie));
  if (!result.auth.user) throw new Error('the fixture cookie was not accepted by withAuth (expired or wrong password?)');
}

async function phase(cookies) {
  const requests = cookies.map(request);
  // Warm-up: JIT, the JWKS fetch, the WebCrypto key import.
  const warmUntil = performance.now() + 1000;
  let i = 0;
  while (performance.now() < warmUntil) await auth.withAuth(requests[i++ % requests.length]);
  const start = performance.now();
  const end = start + seconds * 1000;
  let ops = 0;
  while (performance.now() < end) {
    const result = await auth.withAuth(requests[ops % requests.length]);
    if (!result.auth.user) throw new Error('withAuth returned anonymous during the run');
    ops++;
  }
  const elapsed = (performance.now() - start) / 1000;
  return { ops, seconds: elapsed, opsPerSec: ops / elapsed, usPerOp: (elapsed * 1e6) / ops };
}

// The median of several alternating rounds, so a busy moment on a shared machine skews neither phase alone.
function median(runs) {
  const sorted = [...runs].sort((a, b) => a.opsPerSec - b.opsPerSec);
  return { ...sorted[Math.floor(sorted.length / 2)], rounds: runs.map(r => Math.round(r.opsPerSec)) };
}

try {
  await check(fixture.cookie);
  const same = [];
  const distinct = [];
  for (let round = 0; round < rounds; round++) {
    same.push(await phase([fixture.cookie]));
    distinct.push(await phase(fixture.cookies));
  }
  const sameCookie = median(same);
  const distinctCookies = median(distinct);
  process.stdout.write(JSON.stringify({
    package: '@workos/authkit-session@0.7.1',
    node: process.version,
    cookieLength: fixture.cookie.length,
    sameCookie,
    distinctCookies,
    jwksFetches,
  }) + '\n');
} finally {
  server.close();
}
