// AuthKit.Blazor.WebAssembly: tells the client's authentication state when the tab becomes visible again, so a session
// that ended (or changed) while the tab was hidden is noticed at once instead of at the next interval.

/**
 * Calls target.invokeMethodAsync('OnVisible') whenever the document becomes visible.
 * @param {any} target A DotNetObjectReference.
 * @returns {{ dispose: () => void }} Stops observing.
 */
export function observeVisibility(target) {
  const handler = () => {
    if (document.visibilityState === 'visible') {
      target.invokeMethodAsync('OnVisible').catch(() => { });
    }
  };
  document.addEventListener('visibilitychange', handler);
  return { dispose: () => document.removeEventListener('visibilitychange', handler) };
}
