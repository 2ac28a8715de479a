// Test seam for the crash-safety proof (lib/grants/refresh-crash.int.test.ts): a child process installs
// hooks that stop it at a chosen point of a refresh so the parent can SIGKILL it exactly there. Unset in
// the portal: each call is an optional-chained no-op.

export interface RefreshTestHooks {
  /** Microsoft answered (success or failure); nothing written yet. */
  afterTokenResponse?: () => Promise<void>;
  /** Inside the commit transaction, after the grant row was updated and before the access token is written. */
  insideCommit?: () => Promise<void>;
  /** Committed; the lease is still held. */
  afterCommit?: () => Promise<void>;
}

let hooks: RefreshTestHooks = {};

export function setRefreshTestHooks(next: RefreshTestHooks): void {
  hooks = next;
}

export function refreshTestHooks(): RefreshTestHooks {
  return hooks;
}
