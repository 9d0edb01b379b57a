// AuthKit.Blazor: lets an interactive circuit put its refreshed session into the HttpOnly session cookie.
// A circuit talks over a WebSocket and cannot set cookies, so after a refresh it asks the browser to POST
// (same origin, with credentials) to the session endpoint, whose response carries the new Set-Cookie.

/**
 * POSTs to the session endpoint and returns the HTTP status, or 0 when the request failed.
 * @param {string} url The session endpoint path, e.g. "/auth/session".
 * @param {string} headerName The marker header the endpoint requires (X-AuthKit-Session).
 * @returns {Promise<number>}
 */
export async function storeSession(url, headerName) {
  try {
    const response = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      cache: 'no-store',
      redirect: 'manual',
      headers: { [headerName]: '1' },
    });
    return response.status;
  } catch {
    return 0;
  }
}
