/**
 * Text of the data statements. Rows travel as one text[] parameter per column, expanded by
 * unnest() and cast in the select list to the target column's type:
 *
 *   INSERT INTO "s"."t" ("id", "doc") SELECT u."id"::integer, u."doc"::jsonb
 *   FROM unnest($1::text[], $2::text[]) AS u("id", "doc")
 *   ON CONFLICT ("id") DO UPDATE SET "doc" = EXCLUDED."doc"
 *
 * One parameter per column whatever the row count, so the 65,535 bind limit never caps a
 * statement; text in, typed cast out, so uuid/jsonb/numeric/array columns bind without the
 * driver guessing (arrays travel as their literal text inside the text[], which also keeps unnest
 * from flattening multi-dimensional arrays).
 */
import { quoteIdentifier } from './identifiers.ts';

export interface CastColumn {
  readonly name: string;
  /** Type the text is cast to (types.ts castType). */
  readonly cast: string;
}

function params(count: number): string {
  const out: string[] = [];
  for (let i = 1; i <= count; i++) out.push(`$${i}::text[]`);
  return out.join(', ');
}

/** INSERT ... SELECT FROM unnest, with ON CONFLICT for upserts (keyColumns non-empty). */
export function insertText(
  table: string,
  columns: readonly CastColumn[],
  mode: 'upsert' | 'append',
  keyColumns: readonly string[],
): string {
  const names = columns.map((c) => quoteIdentifier(c.name));
  const list = names.join(', ');
  const select = columns.map((c, i) => `u.${names[i] ?? ''}::${c.cast}`).join(', ');
  const insert = `INSERT INTO ${table} (${list}) SELECT ${select} FROM unnest(${params(columns.length)}) AS u(${list})`;
  if (mode === 'append') return insert;
  const keys = new Set(keyColumns);
  const conflict = keyColumns.map(quoteIdentifier).join(', ');
  const sets = names.filter((_n, i) => !keys.has(columns[i]?.name ?? '')).map((n) => `${n} = EXCLUDED.${n}`);
  const action = sets.length === 0 ? 'DO NOTHING' : `DO UPDATE SET ${sets.join(', ')}`;
  return `${insert} ON CONFLICT (${conflict}) ${action}`;
}

/** DELETE ... USING unnest, matching every key column (composite keys). */
export function deleteText(table: string, keyColumns: readonly CastColumn[]): string {
  const names = keyColumns.map((c) => quoteIdentifier(c.name));
  const match = keyColumns.map((c, i) => `t.${names[i] ?? ''} = d.${names[i] ?? ''}::${c.cast}`).join(' AND ');
  return `DELETE FROM ${table} AS t USING unnest(${params(keyColumns.length)}) AS d(${names.join(', ')}) WHERE ${match}`;
}

export function truncateText(table: string): string {
  return `TRUNCATE TABLE ${table}`;
}

/** A bounded memo of statement texts by (kind, table, columns, casts, mode, key). */
export class StatementCache {
  private readonly texts = new Map<string, string>();

  constructor(private readonly limit = 1000) {}

  get(key: string, build: () => string): string {
    let text = this.texts.get(key);
    if (text === undefined) {
      text = build();
      if (this.texts.size >= this.limit) this.texts.clear();
      this.texts.set(key, text);
    }
    return text;
  }

  get size(): number {
    return this.texts.size;
  }
}
