/** Reads a MySQL / MariaDB target's rows back as normalized text (see reader.ts), with its own connection. */
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { finishCell, type Cell, type ReadColumn, type TargetReader } from './reader.ts';

function q(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}

/** The SQL that turns a column into the reader's text form. */
function expression(c: ReadColumn): string {
  const x = q(c.name);
  switch (c.as) {
    case 'bool':
      // BOOLEAN is TINYINT(1).
      return `CASE WHEN ${x} IS NULL THEN NULL WHEN ${x} <> 0 THEN 'true' ELSE 'false' END`;
    case 'bytes':
      return `LOWER(HEX(${x}))`;
    case 'date':
      return `DATE_FORMAT(${x}, '%Y-%m-%d')`;
    case 'time':
    case 'timetz':
      // timetz is stored as TIME(6) holding the UTC time of day.
      return `TIME_FORMAT(${x}, '%H:%i:%s.%f')`;
    case 'timestamp':
    case 'timestamptz':
      // timestamptz is stored as DATETIME(6) holding UTC.
      return `DATE_FORMAT(${x}, '%Y-%m-%d %H:%i:%s.%f')`;
    case 'uuid':
      return `LOWER(CAST(${x} AS CHAR))`;
    case 'bits':
      return `LPAD(BIN(${x}), ${c.bits ?? 1}, '0')`;
    default:
      // text, int, decimal, float, interval (VARCHAR holding ISO-8601), json (JSON / LONGTEXT)
      return `CAST(${x} AS CHAR)`;
  }
}

export class MysqlReader implements TargetReader {
  private constructor(private readonly conn: Connection) {}

  static async open(url: string): Promise<MysqlReader> {
    const u = new URL(url);
    const conn = await createConnection({
      host: u.hostname,
      port: Number(u.port || 3306),
      user: decodeURIComponent(u.username),
      password: decodeURIComponent(u.password),
      database: decodeURIComponent(u.pathname.replace(/^\//, '')),
      charset: 'UTF8MB4_UNICODE_CI',
      supportBigNumbers: true,
      bigNumberStrings: true,
      dateStrings: true,
    });
    await conn.query(`SET time_zone = '+00:00'`);
    return new MysqlReader(conn);
  }

  async rows(table: string, columns: readonly ReadColumn[], orderBy: readonly string[]): Promise<Cell[][]> {
    const order = orderBy.length > 0 ? ` ORDER BY ${orderBy.map((c) => `src.${q(c)}`).join(', ')}` : '';
    const [rows] = await this.conn.query<RowDataPacket[]>({
      sql: `SELECT ${columns.map(expression).join(', ')} FROM ${q(table)} src${order}`,
      rowsAsArray: true,
    });
    return (rows as unknown as unknown[][]).map((r) => columns.map((c, i) => finishCell(c.as, r[i])));
  }

  async count(table: string): Promise<number> {
    const [rows] = await this.conn.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${q(table)}`);
    return Number(rows[0]?.n);
  }

  async dropTable(table: string): Promise<void> {
    await this.conn.query(`DROP TABLE IF EXISTS ${q(table)}`);
  }

  async setDefault(table: string, column: string, value: string): Promise<void> {
    await this.conn.query(`ALTER TABLE ${q(table)} ALTER COLUMN ${q(column)} SET DEFAULT ?`.replace('?', this.conn.escape(value)));
  }

  async setNotNull(table: string, column: string): Promise<void> {
    // MODIFY restates the whole column: keep its type (and collation), add NOT NULL.
    const [rows] = await this.conn.query<RowDataPacket[]>(
      'SELECT COLUMN_TYPE AS t, COLLATION_NAME AS c FROM information_schema.COLUMNS ' +
        'WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?',
      [table, column],
    );
    const info = rows[0];
    if (info === undefined) throw new Error(`no column ${column} in ${table}`);
    const collate = info.c === null ? '' : ` COLLATE ${String(info.c)}`;
    await this.conn.query(`ALTER TABLE ${q(table)} MODIFY ${q(column)} ${String(info.t)}${collate} NOT NULL`);
  }

  async close(): Promise<void> {
    await this.conn.end();
  }
}
