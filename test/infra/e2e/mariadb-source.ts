/** The MariaDB source of a Scenario: test/infra/source-mariadb, the Debezium MariaDB connector (binlog). */
import mysql from 'mysql2/promise';
import type { TableSpec } from './compare.ts';
import { mariadbConnectorConfig, startConnector, stopConnector } from './debezium.ts';
import { SOURCE_MARIADB } from './env.ts';
import { MARIADB_MARKER_TABLE, MARIADB_TABLES, liveMariadb, markMariadb, seedMariadb, stoppedMariadb, truncateMariadb } from './mariadb-workload.ts';
import type { Rng } from './random.ts';
import type { Phase, SourceDriver } from './scenario.ts';
import { mysqlSide } from './sides.ts';
import type { OpenSide } from './sides.ts';

export class MariadbSource implements SourceDriver {
  readonly tables: readonly TableSpec[] = MARIADB_TABLES;
  readonly markerTable = MARIADB_MARKER_TABLE;
  readonly topics: readonly string[];
  readonly otherTopics: readonly string[];
  private db: mysql.Connection | null = null;

  /** name: the source database and the topic prefix; connector: the connector's name. */
  constructor(
    readonly name: string,
    readonly connector: string,
  ) {
    this.topics = MARIADB_TABLES.map((t) => `${name}.${name}.${t.name}`);
    this.otherTopics = [`${name}_schema_history`, name];
  }

  private async client(): Promise<mysql.Connection> {
    if (!this.db) {
      const db = await mysql.createConnection({ host: SOURCE_MARIADB.host, port: SOURCE_MARIADB.port, user: SOURCE_MARIADB.user });
      await db.query("SET time_zone = '+00:00'");
      await db.query(`CREATE DATABASE \`${this.name}\` CHARACTER SET utf8mb4`);
      await db.query(`USE \`${this.name}\``);
      this.db = db;
    }
    return this.db;
  }

  async seed(rng: Rng): Promise<void> {
    await seedMariadb(await this.client(), rng);
  }

  async startConnector(): Promise<void> {
    await startConnector(
      this.connector,
      mariadbConnectorConfig({ name: this.connector, topicPrefix: this.name, database: this.name, historyTopic: `${this.name}_schema_history` }),
    );
  }

  phases(): Phase[] {
    return [
      { name: 'snapshot, then every kind of change into the running sink', mode: 'live', run: async (r) => liveMariadb(await this.client(), r) },
      { name: 'changes made while the sink was stopped', mode: 'backlog', run: async (r) => stoppedMariadb(await this.client(), r) },
      { name: 'truncates between inserts (sink stopped, then restarted)', mode: 'backlog', run: async () => truncateMariadb(await this.client()) },
    ];
  }

  async mark(phase: number): Promise<void> {
    await markMariadb(await this.client(), phase);
  }

  openSide(): Promise<OpenSide> {
    return mysqlSide({ host: SOURCE_MARIADB.host, port: SOURCE_MARIADB.port, user: SOURCE_MARIADB.user, database: this.name }, this.name);
  }

  async cleanup(step: (what: string, fn: () => Promise<unknown>) => Promise<void>, keep: boolean): Promise<void> {
    const db = this.db;
    this.db = null;
    if (!keep) {
      await step('delete the connector', () => stopConnector(this.connector));
      if (db) await step('drop the source database', () => db.query(`DROP DATABASE IF EXISTS \`${this.name}\``));
    }
    if (db) await step('close the source session', () => db.end());
  }
}
