/** The built-in transforms, by the name used in `use:`. */
import type { TransformDefinition } from '../sdk/types.ts';
import addColumn from './add-column.ts';
import castColumns from './cast-columns.ts';
import dropColumns from './drop-columns.ts';
import filterRows from './filter-rows.ts';
import maskColumns from './mask-columns.ts';
import mergeColumns from './merge-columns.ts';
import renameColumns from './rename-columns.ts';
import routeTable from './route-table.ts';
import splitColumn from './split-column.ts';

const ALL: readonly TransformDefinition[] = [
  renameColumns,
  dropColumns,
  routeTable,
  castColumns,
  addColumn,
  filterRows,
  maskColumns,
  mergeColumns,
  splitColumn,
];

export const BUILTIN_TRANSFORMS: ReadonlyMap<string, TransformDefinition> = new Map(ALL.map((d) => [d.meta.name, d]));
