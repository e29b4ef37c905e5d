import { createHash } from 'node:crypto';

/**
 * Names for server-side prepared statements. A statement sent with a name is parsed (and, after a
 * few executions, planned) once per connection instead of at every execution; for the small
 * transactions of steady traffic that nearly halved PostgreSQL's CPU per transaction (a 20-row upsert
 * into a 50-column table: 0.91-0.99 ms of backend CPU unnamed, 0.53-0.56 named; bench/pg-prepared-micro.ts).
 *
 * The data statements' texts do not depend on the row count (rows travel as one array per column),
 * so a table needs a handful of names. Every prepared statement holds server memory on each
 * connection until it closes, so only the first `max` distinct texts get names; later ones are
 * sent unnamed, as every statement is with max 0 (needed behind a pooler that does not keep
 * prepared statements, e.g. PgBouncer in transaction mode before 1.21; the connector turns them off
 * by itself when the server reports a prepared statement missing).
 *
 * A name is a digest of its text, not a counter: behind a pooler that moves sessions, a name
 * prepared by another process (another cdc-sink of the group, counting its own way) could otherwise
 * stand for another table's statement with the same number of array parameters, and a batch would
 * be written into the wrong table without an error. With digests, a name means one text everywhere.
 */
export class PreparedNames {
  private readonly names = new Map<string, string>();

  constructor(private readonly max: number) {}

  /** False when nothing is prepared (max 0). */
  get enabled(): boolean {
    return this.max > 0;
  }

  /** The name to prepare `text` under, or undefined: send it unnamed. */
  nameFor(text: string): string | undefined {
    let name = this.names.get(text);
    if (name === undefined && this.names.size < this.max) {
      name = `cdc_sink_${createHash('sha256').update(text).digest('hex').slice(0, 40)}`;
      this.names.set(text, name);
    }
    return name;
  }
}
