/** Test helpers for the machine's PostgreSQL (the target in integration tests). */
import pg from 'pg';

export const PG_URL = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function withPg<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function query<T extends Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> {
  return withPg(async (c) => (await c.query<T>(text, values)).rows);
}

export async function dropSchema(schema: string): Promise<void> {
  await withPg((c) => c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
}

/** Polls until fn returns true; fails with the last observed state after timeoutMs. */
export async function waitFor(what: string, fn: () => Promise<boolean | string>, timeoutMs = 60_000, everyMs = 200): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last: boolean | string = false;
  while (Date.now() < until) {
    last = await fn();
    if (last === true) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}${typeof last === 'string' ? `: ${last}` : ''}`);
}
