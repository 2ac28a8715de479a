// Runs one task per item with at most `concurrency` at once, and item i never before
// start + i × spreadMs / n: a sweep's checks trickle over the first part of the interval instead of
// hitting Exchange (and its throttling) in one burst. Later items wait for a free slot as well, so a slow
// server stretches the sweep rather than piling up connections. Stops taking new items once `signal`
// aborts (shutdown, lost lease); running tasks finish on their own deadline.

export interface SpreadOutOptions {
  concurrency: number;
  spreadMs: number;
  signal?: AbortSignal;
}

export interface SpreadOutReport {
  started: number;
  stoppedEarly: boolean;
}

export async function runSpreadOut<T>(items: readonly T[], task: (item: T, index: number) => Promise<void>, options: SpreadOutOptions): Promise<SpreadOutReport> {
  const start = performance.now();
  const step = items.length > 0 ? options.spreadMs / items.length : 0;
  let next = 0;
  let started = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      if (options.signal?.aborted) return;
      const index = next++;
      if (index >= items.length) return;
      const due = start + index * step;
      // setTimeout may fire a fraction of a millisecond early: wait until the slot has really come.
      for (let wait = due - performance.now(); wait > 0; wait = due - performance.now()) {
        if (!(await sleep(Math.ceil(wait), options.signal))) return;
      }
      started++;
      await task(items[index]!, index);
    }
  };
  const workers = Math.max(1, Math.min(Math.floor(options.concurrency), items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return { started, stoppedEarly: started < items.length };
}

/** Resolves true after ms, or false as soon as the signal aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
