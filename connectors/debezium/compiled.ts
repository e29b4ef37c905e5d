/** Compiling key and value schemas into what the decoder needs, once per distinct schema. */
import type { ColumnSchema, TableSchema } from '../core/column-type.ts';
import { ErrorCodes } from '../core/errors.ts';
import type { CompileContext } from './codec.ts';
import { fieldOf, toConnectSchema } from './connect-schema.ts';
import { DecodeFailure } from './failure.ts';
import type { CompiledRow } from './schema.ts';
import { compileRow } from './schema.ts';
import { NO_TOAST } from './toast.ts';
import type { SkipReason } from './types.ts';
import { isUnwrapMetaField } from './unwrap-meta.ts';
import { classifySchema } from './value-kind.ts';

export type CompiledValue =
  | { readonly kind: 'skip'; readonly reason: SkipReason }
  /** A change envelope; `row` is the compiled before/after struct. */
  | { readonly kind: 'envelope'; readonly row: CompiledRow; readonly schemas: TableSchemaMemo }
  /** A flat row (ExtractNewRecordState); `metaFields` are the unwrap metadata fields it carries. */
  | {
      readonly kind: 'row';
      readonly row: CompiledRow;
      readonly metaFields: readonly string[];
      readonly schemas: TableSchemaMemo;
    };

export interface CompiledKey {
  readonly row: CompiledRow;
  readonly names: readonly string[];
  /** Schema of a tombstone that brings no value schema: the key columns. */
  readonly tombstoneSchema: TableSchema;
}

export function compileValueSchema(json: unknown, ctx: CompileContext, prefix: string): CompiledValue {
  const schema = toConnectSchema(json);
  const kind = classifySchema(schema);
  if (kind.kind === 'skip') return kind;
  if (kind.kind === 'envelope') {
    const image = fieldOf(schema, 'after') ?? fieldOf(schema, 'before');
    if (image === undefined) {
      throw new DecodeFailure(ErrorCodes.DECODE_BAD_ENVELOPE, 'envelope schema has neither "after" nor "before"');
    }
    const row = compileRow(image, ctx);
    return { kind: 'envelope', row, schemas: new TableSchemaMemo(row.columns) };
  }
  if (schema.type !== 'struct') {
    throw new DecodeFailure(ErrorCodes.DECODE_BAD_ENVELOPE, `value schema is ${schema.type}, expected a struct`);
  }
  const isMeta = (field: string) => isUnwrapMetaField(field, prefix);
  const row = compileRow(schema, ctx, isMeta);
  const metaFields = (schema.fields ?? []).map((f) => f.field as string).filter(isMeta);
  return { kind: 'row', row, metaFields, schemas: new TableSchemaMemo(row.columns) };
}

export function compileKeySchema(json: unknown, ctx: CompileContext): CompiledKey {
  const schema = toConnectSchema(json);
  if (schema.type !== 'struct') {
    throw new DecodeFailure(ErrorCodes.DECODE_BAD_ENVELOPE, `message key schema is ${schema.type}, expected a struct`);
  }
  const row = compileRow(schema, { ...ctx, toast: NO_TOAST });
  const names = Object.freeze(row.columns.map((c) => c.name));
  return { row, names, tombstoneSchema: Object.freeze({ columns: row.columns, key: names }) };
}

/** One frozen TableSchema per (value schema, key schema) pair, built on first use. */
export class TableSchemaMemo {
  private readonly byKey = new WeakMap<CompiledKey, TableSchema>();
  private keyless: TableSchema | undefined;

  constructor(private readonly columns: readonly ColumnSchema[]) {}

  get(key: CompiledKey | null): TableSchema {
    if (key === null) {
      this.keyless ??= Object.freeze({ columns: this.columns, key: Object.freeze([]) });
      return this.keyless;
    }
    let s = this.byKey.get(key);
    if (s === undefined) {
      s = Object.freeze({ columns: this.columns, key: key.names });
      this.byKey.set(key, s);
    }
    return s;
  }
}
