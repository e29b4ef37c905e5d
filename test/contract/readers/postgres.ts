/** Reads a PostgreSQL target's rows back as normalized text (see reader.ts), with its own pg.Client. */
import pg from 'pg';
import { finishCell, type Cell, type ReadColumn, type TargetReader } from './reader.ts';

function q(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** The SQL that turns a column into the reader's text form. */
function expression(c: ReadColumn): string {
  const x = q(c.name);
  switch (c.as) {
    case 'bool':
      return `CASE WHEN ${x} THEN 'true' WHEN NOT ${x} THEN 'false' END`;
    case 'bytes':
      return `encode(${x}, 'hex')`;
    case 'date':
      return `to_char(${x}, 'YYYY-MM-DD')`;
    case 'time':
      return `to_char(${x}, 'HH24:MI:SS.US')`;
    case 'timetz':
      // time with time zone: the value's time of day in UTC (cdc-sink writes UTC values).
      return `to_char(DATE '2000-01-01' + (${x} AT TIME ZONE 'UTC')::time, 'HH24:MI:SS.US')`;
    case 'timestamp':
      return `to_char(${x}, 'YYYY-MM-DD HH24:MI:SS.US')`;
    case 'timestamptz':
      return `to_char(${x} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')`;
    case 'json':
      // jsonb, json or an array column (int[] -> [1,2,3]) as JSON text.
      return `to_json(${x})::text`;
    case 'bits':
      return `${x}::text`;
    default:
      // text, int, decimal, float, interval (intervalstyle iso_8601 below), uuid (lower-case)
      return `${x}::text`;
  }
}

export class PostgresReader implements TargetReader {
  private constructor(
    private readonly client: pg.Client,
    private readonly schema: string,
  ) {}

  static async open(url: string, schema: string): Promise<PostgresReader> {
    const client = new pg.Client({ connectionString: url, application_name: 'cdc-sink-contract-reader' });
    await client.connect();
    await client.query(`SET intervalstyle = 'iso_8601'; SET TIME ZONE 'UTC'`);
    return new PostgresReader(client, schema);
  }

  private table(name: string): string {
    return `${q(this.schema)}.${q(name)}`;
  }

  async rows(table: string, columns: readonly ReadColumn[], orderBy: readonly string[]): Promise<Cell[][]> {
    const order = orderBy.length > 0 ? ` ORDER BY ${orderBy.map((c) => `src.${q(c)}`).join(', ')}` : '';
    const res = await this.client.query<unknown[]>({
      text: `SELECT ${columns.map(expression).join(', ')} FROM ${this.table(table)} src${order}`,
      rowMode: 'array',
    });
    return res.rows.map((r) => columns.map((c, i) => finishCell(c.as, r[i])));
  }

  async count(table: string): Promise<number> {
    const res = await this.client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${this.table(table)}`);
    return Number(res.rows[0]?.n);
  }

  async dropTable(table: string): Promise<void> {
    await this.client.query(`DROP TABLE IF EXISTS ${this.table(table)}`);
  }

  async setDefault(table: string, column: string, value: string): Promise<void> {
    await this.client.query(`ALTER TABLE ${this.table(table)} ALTER COLUMN ${q(column)} SET DEFAULT ${literal(value)}`);
  }

  async setNotNull(table: string, column: string): Promise<void> {
    await this.client.query(`ALTER TABLE ${this.table(table)} ALTER COLUMN ${q(column)} SET NOT NULL`);
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}
