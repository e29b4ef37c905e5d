/**
 * What the statement builders of one table share: names, the target's columns, encoders, limits.
 */
import type { ColumnSchema } from '../core/column-type.ts';
import { ErrorCodes, TargetError } from '../core/errors.ts';
import type { TableChanges, TargetColumn } from '../contract.ts';
import { qualifiedName, tableText } from './identifiers.ts';
import { targetColumnMap, type ChunkLimits } from './statement.ts';
import { valueEncoder, type ValueEncoder } from './values.ts';

export interface WriteSqlOptions extends ChunkLimits {
  readonly defaultDatabase: string | null;
  /** MySQL 8.0.20+: `AS new ... c = new.c`; otherwise `c = VALUES(c)`. */
  readonly rowAlias: boolean;
}

export interface WriteContext {
  /** db.table, for messages. */
  readonly table: string;
  /** `db`.`table`, for SQL. */
  readonly sqlName: string;
  readonly options: WriteSqlOptions;
  /** The target column of a row column; throws a schema error naming table and column when it lacks one. */
  target(name: string): TargetColumn;
  encoder(name: string): ValueEncoder;
}

export function writeContext(changes: TableChanges, options: WriteSqlOptions): WriteContext {
  const table = tableText(changes.table, options.defaultDatabase);
  const sqlName = qualifiedName(changes.table, options.defaultDatabase);
  const targets = targetColumnMap(changes.description.columns);
  const sources = new Map<string, ColumnSchema>(changes.columns.map((c) => [c.name, c]));
  const encoders = new Map<string, ValueEncoder>();
  const target = (name: string): TargetColumn => {
    const t = targets.get(name.toLowerCase());
    if (t === undefined) {
      throw new TargetError(
        ErrorCodes.TARGET_SCHEMA,
        `table ${table} has no column ${name}: add the column to the target table or drop it with a transform`,
        { kind: 'fatal', table },
      );
    }
    return t;
  };
  return {
    table,
    sqlName,
    options,
    target,
    encoder(name: string): ValueEncoder {
      let e = encoders.get(name);
      if (e === undefined) {
        e = valueEncoder(table, name, sources.get(name), target(name));
        encoders.set(name, e);
      }
      return e;
    },
  };
}

export function dataError(ctx: WriteContext, message: string): TargetError {
  return new TargetError(ErrorCodes.TARGET_DATA, `cannot write to ${ctx.table}: ${message}`, {
    kind: 'data',
    table: ctx.table,
  });
}
