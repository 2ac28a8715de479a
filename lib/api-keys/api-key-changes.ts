// Created and revoked keys are announced in-process so the token API's cache (lib/api) drops a revoked
// key at once on the instance where the admin clicked. Next's server actions run from Next's own bundle
// and lib/server's fast path from tsx: two copies of every module in one process, so the channel lives on
// globalThis. Other instances learn of the change by re-reading (API_CACHE_REFRESH_SECONDS).

type Listener = (change: { keyId: string; keyHash: string | null }) => void;

const CHANNEL = Symbol.for("mailbox-oauth-portal.api-key-changes");
const registry = globalThis as typeof globalThis & { [CHANNEL]?: Set<Listener> };

function listeners(): Set<Listener> {
  registry[CHANNEL] ??= new Set();
  return registry[CHANNEL];
}

export function announceApiKeyChange(change: { keyId: string; keyHash: string | null }): void {
  for (const listener of listeners()) {
    try {
      listener(change);
    } catch {
      // A listener's failure must not fail the admin's action; the periodic re-read still applies the change.
    }
  }
}

/** Returns the function that stops listening. */
export function onApiKeyChange(listener: Listener): () => void {
  listeners().add(listener);
  return () => listeners().delete(listener);
}
