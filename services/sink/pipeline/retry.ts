/** Exponential backoff with full jitter (AWS architecture blog): delay = random(0, min(max, base * 2^n)). */
export interface RetryPolicy {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /** 0: forever. */
  readonly maxAttempts: number;
}

export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.min(attempt, 30));
  return Math.max(1, Math.floor(random() * cap));
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Runs fn until it succeeds, retrying errors marked retriable (CdcSinkError kind 'retriable') with
 * backoff; other errors, and any error once the signal is aborted, are thrown.
 */
export async function retrying<T>(
  fn: () => Promise<T>,
  opts: { policy: RetryPolicy; signal: AbortSignal; onRetry: (err: Error, attempt: number, delayMs: number) => void },
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const retriable = err instanceof Error && 'kind' in err && err.kind === 'retriable';
      if (!retriable || opts.signal.aborted || (opts.policy.maxAttempts > 0 && attempt + 1 >= opts.policy.maxAttempts)) throw err;
      const delay = backoffDelay(opts.policy, attempt);
      opts.onRetry(err, attempt + 1, delay);
      await sleep(delay, opts.signal);
    }
  }
}
