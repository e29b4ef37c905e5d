/** Reading the `source` block (FORMAT.md §6): snapshot flag, position, timestamps. */
import { numberText, readString, requireExact } from './json-text.ts';

/**
 * source.snapshot: "true", "first", "first_in_data_collection", "last_in_data_collection", "last",
 * "incremental" and unknown strings mean a snapshot; "false", null or absent mean streaming.
 * Old docs show booleans, so those are accepted too.
 */
export function snapshotFlag(v: unknown): boolean {
  if (v === true) return true;
  const s = readString(v);
  return s !== undefined && s !== 'false' && s !== '';
}

/** A numeric field as exact text ("24023128"), or undefined. */
function numText(v: unknown): string | undefined {
  if (typeof v === 'number' && !Number.isSafeInteger(v)) requireExact();
  return numberText(v) ?? readString(v);
}

/**
 * Source log position for diagnostics: PG "lsn=24023128"; MySQL/MariaDB the GTID when present,
 * else "file:pos:row"; SQL Server / Oracle style change_lsn / scn when present.
 */
export function positionOf(source: Readonly<Record<string, unknown>>): string | null {
  const lsn = numText(source.lsn);
  if (lsn !== undefined) return `lsn=${lsn}`;
  const gtid = readString(source.gtid);
  if (gtid !== undefined && gtid !== '') return gtid;
  const file = readString(source.file);
  if (file !== undefined && file !== '') {
    return `${file}:${numText(source.pos) ?? '0'}:${numText(source.row) ?? '0'}`;
  }
  const changeLsn = readString(source.change_lsn);
  if (changeLsn !== undefined) return `change_lsn=${changeLsn}`;
  const scn = numText(source.scn);
  if (scn !== undefined) return `scn=${scn}`;
  return null;
}

/** A millisecond timestamp (source.ts_ms) as a number, or null. */
export function millis(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  const text = numberText(v);
  if (text === undefined) return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

export function connectorOf(source: Readonly<Record<string, unknown>>): string | null {
  const c = readString(source.connector);
  return c === undefined || c === '' ? null : c;
}
