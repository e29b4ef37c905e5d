/**
 * Reads an Oracle target's rows back as normalized text (see reader.ts), with its own connection
 * (node-oracledb thin mode). Tables live in the connecting user's schema; the suite runs the
 * connector with identifierCase 'preserve', so names are quoted exactly as given.
 *
 * The SQL depends on the column's storage (USER_TAB_COLUMNS.DATA_TYPE): the same logical value
 * may sit in a RAW or a BLOB, a VARCHAR2 or a CLOB. Where Oracle stores a value in another form
 * than the other databases, the conversion is commented.
 *
 * Not run in the development environment (no Oracle server there): it runs when ORACLE_URL is set.
 */
import oracledb from 'oracledb';
import { parseOracleUrl } from '../../../connectors/oracle/options.ts';
import { finishCell, type Cell, type ReadColumn, type TargetReader } from './reader.ts';

function q(name: string): string {
  return `"${name}"`;
}

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

const LOB_TYPES = new Set(['CLOB', 'NCLOB', 'BLOB']);

/** Text of a column whatever its storage: CLOBs through DBMS_LOB.SUBSTR (values here are short). */
function plain(x: string, dataType: string): string {
  if (LOB_TYPES.has(dataType)) return `DBMS_LOB.SUBSTR(${x}, 4000, 1)`;
  if (dataType === 'JSON') return `JSON_SERIALIZE(${x} RETURNING VARCHAR2(4000))`;
  return x;
}

function expression(c: ReadColumn, dataType: string): string {
  const x = q(c.name);
  switch (c.as) {
    case 'int':
    case 'decimal':
      // 'TM9' prints '.5' for 0.5: canonicalDecimal adds the leading zero back.
      return `TO_CHAR(${x}, 'TM9')`;
    case 'float':
      // BINARY_FLOAT / BINARY_DOUBLE print in exponent form: go through NUMBER (exact for the test values).
      return `TO_CHAR(CAST(${x} AS NUMBER), 'TM9')`;
    case 'bool':
      // NUMBER(1) holding 1/0 (BOOLEAN only from 23ai).
      return dataType === 'BOOLEAN'
        ? `CASE WHEN ${x} THEN 'true' WHEN NOT ${x} THEN 'false' END`
        : `CASE WHEN ${x} IS NULL THEN NULL WHEN ${x} <> 0 THEN 'true' ELSE 'false' END`;
    case 'bytes':
      return `LOWER(RAWTOHEX(${dataType === 'BLOB' ? `DBMS_LOB.SUBSTR(${x}, 2000, 1)` : x}))`;
    case 'bits':
      // RAW(ceil(n/8)), left-padded to whole bytes: converted to n bits in rows() below.
      return `RAWTOHEX(${dataType === 'BLOB' ? `DBMS_LOB.SUBSTR(${x}, 2000, 1)` : x})`;
    case 'date':
      return `TO_CHAR(${x}, 'YYYY-MM-DD')`;
    case 'time':
      // INTERVAL DAY(1) TO SECOND(p): the time since midnight.
      return `TO_CHAR(TIMESTAMP '2000-01-01 00:00:00' + ${x}, 'HH24:MI:SS.FF6')`;
    case 'timetz':
      // Oracle has no time-with-zone type: VARCHAR2 holding the UTC text '12:34:56.123456Z'.
      return `RTRIM(${x}, 'Z')`;
    case 'timestamp':
      return `TO_CHAR(${x}, 'YYYY-MM-DD HH24:MI:SS.FF6')`;
    case 'timestamptz':
      return `TO_CHAR(SYS_EXTRACT_UTC(${x}), 'YYYY-MM-DD HH24:MI:SS.FF6')`;
    case 'uuid':
      // RAW(16): the 16 bytes, shown upper-case without dashes by RAWTOHEX.
      return dataType === 'RAW'
        ? `LOWER(REGEXP_REPLACE(RAWTOHEX(${x}), '^(.{8})(.{4})(.{4})(.{4})(.{12})$', '\\1-\\2-\\3-\\4-\\5'))`
        : `LOWER(${plain(x, dataType)})`;
    default:
      // text, interval (VARCHAR2 holding ISO-8601), json (CLOB with IS JSON, or JSON)
      return plain(x, dataType);
  }
}

function hexToBits(hex: string, length: number): string {
  const bits = [...Buffer.from(hex, 'hex')].map((b) => b.toString(2).padStart(8, '0')).join('');
  return bits.slice(Math.max(0, bits.length - length)).padStart(length, '0');
}

export class OracleReader implements TargetReader {
  private constructor(private readonly conn: oracledb.Connection) {}

  static async open(url: string): Promise<OracleReader> {
    const p = parseOracleUrl(url);
    const conn = await oracledb.getConnection({ user: p.user, password: p.password, connectString: p.connectString });
    await conn.execute(`ALTER SESSION SET TIME_ZONE = '+00:00'`);
    return new OracleReader(conn);
  }

  private async dataTypes(table: string): Promise<Map<string, string>> {
    const res = await this.conn.execute<[string, string]>(
      'SELECT COLUMN_NAME, DATA_TYPE FROM USER_TAB_COLUMNS WHERE TABLE_NAME = :t',
      [table],
      { outFormat: oracledb.OUT_FORMAT_ARRAY },
    );
    // DATA_TYPE reads 'TIMESTAMP(6) WITH TIME ZONE', 'INTERVAL DAY(1) TO SECOND(6)': keep the leading word.
    return new Map((res.rows ?? []).map(([name, type]) => [name, type.replace(/\(.*$/, '').split(' ')[0] ?? type]));
  }

  async rows(table: string, columns: readonly ReadColumn[], orderBy: readonly string[]): Promise<Cell[][]> {
    const types = await this.dataTypes(table);
    const exprs = columns.map((c) => expression(c, types.get(c.name) ?? 'VARCHAR2'));
    const order = orderBy.length > 0 ? ` ORDER BY ${orderBy.map((c) => `src.${q(c)}`).join(', ')}` : '';
    const res = await this.conn.execute<unknown[]>(`SELECT ${exprs.join(', ')} FROM ${q(table)} src${order}`, [], {
      outFormat: oracledb.OUT_FORMAT_ARRAY,
    });
    return (res.rows ?? []).map((r) =>
      columns.map((c, i) => {
        const v = r[i];
        if (c.as === 'bits' && typeof v === 'string') return hexToBits(v, c.bits ?? 1);
        return finishCell(c.as, v);
      }),
    );
  }

  async count(table: string): Promise<number> {
    const res = await this.conn.execute<[number]>(`SELECT COUNT(*) FROM ${q(table)}`, [], {
      outFormat: oracledb.OUT_FORMAT_ARRAY,
    });
    return Number(res.rows?.[0]?.[0]);
  }

  async dropTable(table: string): Promise<void> {
    await this.conn.execute(
      `BEGIN EXECUTE IMMEDIATE 'DROP TABLE ${q(table).replaceAll("'", "''")} PURGE'; ` +
        'EXCEPTION WHEN OTHERS THEN IF SQLCODE != -942 THEN RAISE; END IF; END;',
    );
  }

  async setDefault(table: string, column: string, value: string): Promise<void> {
    await this.conn.execute(`ALTER TABLE ${q(table)} MODIFY (${q(column)} DEFAULT ${literal(value)})`);
  }

  async setNotNull(table: string, column: string): Promise<void> {
    await this.conn.execute(`ALTER TABLE ${q(table)} MODIFY (${q(column)} NOT NULL)`);
  }

  async close(): Promise<void> {
    await this.conn.close();
  }
}
