/**
 * Finds the rows a database rejects by splitting a failed batch, instead of writing it one row at a
 * time: a batch of n rows with k bad ones costs about 2k*log2(n) trial transactions (each rolled back).
 */
import type { CdcSinkError } from '../../../connectors/core/errors.ts';

export interface Rejected<U> {
  readonly unit: U;
  readonly error: CdcSinkError;
}

/**
 * `probe` runs a trial write of some units and returns the data error it hit, or null when they are
 * accepted; any other error (connection lost...) propagates and ends the search.
 */
export async function isolateRejected<U>(units: readonly U[], probe: (units: readonly U[]) => Promise<CdcSinkError | null>): Promise<Rejected<U>[]> {
  const rejected: Rejected<U>[] = [];
  async function search(part: readonly U[], knownError: CdcSinkError | null): Promise<void> {
    if (part.length === 0) return;
    const error = knownError ?? (await probe(part));
    if (error === null) return;
    if (part.length === 1) {
      rejected.push({ unit: part[0] as U, error });
      return;
    }
    const mid = part.length >> 1;
    await search(part.slice(0, mid), null);
    await search(part.slice(mid), null);
  }
  await search(units, null);
  return rejected;
}
