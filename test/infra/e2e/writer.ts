/**
 * A background writer for the snapshot test: small transactions of inserts, updates and deletes on
 * one table, as fast as a single session goes with a short pause, until stopped.
 */
import type pg from 'pg';
import type { Rng } from './random.ts';

export interface WriterStats {
  transactions: number;
  inserts: number;
  updates: number;
  deletes: number;
  /** Id of the next row to insert. */
  nextId: number;
}

export class Writer {
  readonly stats: WriterStats;
  private stopping = false;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly db: pg.Client,
    private readonly table: string,
    private readonly rng: Rng,
    firstId: number,
    private readonly pauseMs = 20,
  ) {
    this.stats = { transactions: 0, inserts: 0, updates: 0, deletes: 0, nextId: firstId };
  }

  start(): void {
    this.loop = this.run();
    this.loop.catch(() => undefined);
  }

  /** Stops after the current transaction; rejects if the writer failed. */
  async stop(): Promise<WriterStats> {
    this.stopping = true;
    await this.loop;
    return { ...this.stats };
  }

  private async run(): Promise<void> {
    const r = this.rng;
    while (!this.stopping) {
      const maxId = this.stats.nextId - 1;
      await this.db.query('BEGIN');
      for (let i = 0; i < 3; i++) {
        const id = this.stats.nextId++;
        await this.db.query(`INSERT INTO ${this.table} (id, name, qty, price, updated_at, payload) VALUES ($1, $2, $3, $4, now(), $5)`, [
          id,
          `new ${id}`,
          r.int(0, 1000),
          `${r.int(0, 99999)}.${String(r.int(0, 99)).padStart(2, '0')}`,
          r.text(r.int(10, 200)),
        ]);
        this.stats.inserts++;
      }
      for (let i = 0; i < 4; i++) {
        const res = await this.db.query(`UPDATE ${this.table} SET qty = qty + 1, name = name || '+', updated_at = now() WHERE id = $1`, [r.int(1, maxId)]);
        this.stats.updates += res.rowCount ?? 0;
      }
      const del = await this.db.query(`DELETE FROM ${this.table} WHERE id = $1`, [r.int(1, maxId)]);
      this.stats.deletes += del.rowCount ?? 0;
      await this.db.query('COMMIT');
      this.stats.transactions++;
      await new Promise((res) => setTimeout(res, this.pauseMs));
    }
  }
}
