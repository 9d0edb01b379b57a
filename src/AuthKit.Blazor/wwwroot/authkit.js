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

// A tab that posts the sign-out form is on its way to the signed-out page: the browser still has to follow the sign-out
// redirects (the app, then WorkOS's logout, then back), and meanwhile its circuit learns that the session ended (from
// this server or pushed from another). The circuit asks isSigningOut() first, so it does not send this tab to sign-in
// in the middle of signing out; every other tab of the session flips at once.
let signOutPath = null;
let signingOutAt = 0;

/**
 * Starts noticing submissions of forms that POST to the sign-out endpoint (the listener runs in the capture phase,
 * before the browser sends the form, so it is set before the server can end the session).
 * @param {string} url The sign-out endpoint, e.g. "/auth/sign-out".
 */
export function watchSignOut(url) {
  const listening = signOutPath !== null;
  signOutPath = new URL(url, document.baseURI).pathname;
  if (listening) {
    return;
  }

  document.addEventListener('submit', event => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) {
      return;
    }

    const submitter = event.submitter;
    const method = ((submitter && submitter.getAttribute('formmethod')) || form.getAttribute('method') || 'get').toLowerCase();
    const action = (submitter && submitter.hasAttribute('formaction')) ? submitter.formAction : form.action;
    if (method === 'post' && new URL(action, document.baseURI).pathname === signOutPath) {
      signingOutAt = Date.now();
    }
  }, true);
  // Back from the back/forward cache: that navigation is over.
  window.addEventListener('pageshow', () => { signingOutAt = 0; });
}

/**
 * Whether this tab submitted a sign-out form in the last `withinMs` milliseconds.
 * @param {number} withinMs
 * @returns {boolean}
 */
export function isSigningOut(withinMs) {
  return signingOutAt > 0 && Date.now() - signingOutAt < withinMs;
}
