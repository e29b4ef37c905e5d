/** The PostgreSQL source of a Scenario: test/infra/source-pg, the Debezium PostgreSQL connector (pgoutput). */
import type pg from 'pg';
import type { TableSpec } from './compare.ts';
import { dropSlotAndPublication, pgConnectorConfig, sourcePgClient, startConnector, stopConnector, waitForSlot } from './debezium.ts';
import { SOURCE_PG } from './env.ts';
import { PG_MARKER_TABLE, PG_TABLES, livePg, markPg, seedPg, stoppedPg, truncatePg } from './pg-workload.ts';
import type { Rng } from './random.ts';
import type { Phase, SourceDriver } from './scenario.ts';
import { pgSide } from './sides.ts';
import type { OpenSide } from './sides.ts';

export class PgSource implements SourceDriver {
  readonly tables: readonly TableSpec[] = PG_TABLES;
  readonly markerTable = PG_MARKER_TABLE;
  readonly topics: readonly string[];
  readonly otherTopics: readonly string[] = [];
  readonly slot: string;
  private db: pg.Client | null = null;

  /** name: the source schema, topic prefix, slot and publication; connector: the connector's name. */
  constructor(
    readonly name: string,
    readonly connector: string,
  ) {
    this.slot = name;
    this.topics = PG_TABLES.map((t) => `${name}.${name}.${t.name}`);
  }

  private async client(): Promise<pg.Client> {
    if (!this.db) {
      const db = sourcePgClient();
      await db.connect();
      this.db = db;
    }
    return this.db;
  }

  async seed(rng: Rng): Promise<void> {
    await seedPg(await this.client(), this.name, rng);
  }

  async startConnector(): Promise<void> {
    const config = pgConnectorConfig({ name: this.connector, topicPrefix: this.name, schema: this.name, slot: this.slot, publication: this.slot });
    await startConnector(this.connector, config);
    await waitForSlot(await this.client(), this.slot);
  }

  /** The three phases every PostgreSQL-source test runs. */
  phases(): Phase[] {
    return [
      { name: 'snapshot, then every kind of change into the running sink', mode: 'live', run: async (r) => livePg(await this.client(), this.name, r) },
      { name: 'changes made while the sink was stopped', mode: 'backlog', run: async (r) => stoppedPg(await this.client(), this.name, r) },
      { name: 'truncates between inserts (sink stopped, then restarted)', mode: 'backlog', run: async () => truncatePg(await this.client(), this.name) },
    ];
  }

  async mark(phase: number): Promise<void> {
    await markPg(await this.client(), this.name, phase);
  }

  openSide(): Promise<OpenSide> {
    return pgSide({ ...SOURCE_PG }, this.name);
  }

  async cleanup(step: (what: string, fn: () => Promise<unknown>) => Promise<void>, keep: boolean): Promise<void> {
    const db = this.db;
    this.db = null;
    if (!keep) {
      await step('delete the connector', () => stopConnector(this.connector));
      if (db) {
        await step('drop slot and publication', () => dropSlotAndPublication(db, this.slot, this.slot));
        await step('drop the source schema', () => db.query(`DROP SCHEMA IF EXISTS "${this.name}" CASCADE`));
      }
    }
    if (db) await step('close the source session', () => db.end());
  }
}
