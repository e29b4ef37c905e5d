/**
 * customer-phone: the expand-contract rename of customers.customer_phone to phone_number.
 *
 * The source keeps running the old application while the target is the new schema. During the
 * migration window the source may hold both columns: old code still writes customer_phone, new code
 * already writes phone_number (after the "expand" step on the source). This plugin:
 *   - writes phone_number in the target, taking the new column when it holds a value and falling
 *     back to the old one (so a row last written by old code still carries its phone);
 *   - normalizes the number (spaces, dots, dashes and parentheses removed; a leading + kept);
 *   - with keepOld: true, also writes customer_phone (same value) for target readers that have not
 *     moved yet; drop keepOld once they have, then "contract" the old column away.
 * Key-only deletes pass (the phone is not part of the key); truncates pass untouched.
 *
 * A plugin imports only from the SDK.
 */
import {
  defineTransform,
  dropSchemaColumns,
  findColumn,
  hasCell,
  isUnchanged,
  mapRow,
  memoizeSchema,
  omitFromRow,
  putSchemaColumn,
  renameSchemaColumns,
  setCells,
  z,
} from '../../sdk/index.ts';
import type { Cell, ChangeEvent, Row, TableSchema } from '../../sdk/index.ts';

const options = z
  .object({
    from: z.string().min(1).default('customer_phone').describe('the old column'),
    to: z.string().min(1).default('phone_number').describe('the new column'),
    keepOld: z.boolean().default(false).describe('also write the old column in the target (expand phase)'),
    normalize: z.boolean().default(true),
  })
  .strict()
  .refine((o) => o.from !== o.to, { message: 'from and to must differ' });

export default defineTransform({
  meta: { name: 'customer-phone', version: '1.0.0', apiVersion: 1, description: 'customer_phone -> phone_number' },
  options,
  create({ from, to, keepOld, normalize }) {
    const targetSchema = memoizeSchema((schema: TableSchema): TableSchema => {
      const old = findColumn(schema, from);
      const current = findColumn(schema, to);
      if (!old && !current) throw new Error(`neither "${from}" nor "${to}" is in the table`);
      if (schema.key.includes(from)) throw new Error(`"${from}" is a key column; this plugin does not rename keys`);
      const type = current?.type ?? old?.type ?? { kind: 'string' as const };
      if (!current) {
        // Before the expand step: only the old column exists. Rename it (in place) ...
        const renamed = renameSchemaColumns(schema, new Map([[from, to]]));
        // ... and put the old one back after it when target readers still need it.
        return keepOld ? putSchemaColumn(renamed, { name: from, type, optional: true }, { after: to }) : renamed;
      }
      const merged = putSchemaColumn(schema, { name: to, type, optional: true });
      return keepOld || !old ? merged : dropSchemaColumns(merged, new Set([from]));
    });

    const phone = (image: Row): Cell | undefined => {
      const fresh = hasCell(image, to) ? (image[to] as Cell) : null;
      const legacy = hasCell(image, from) ? (image[from] as Cell) : undefined;
      const picked = fresh !== null ? fresh : legacy;
      if (picked === undefined) return hasCell(image, to) ? fresh : undefined;
      return normalize && typeof picked === 'string' && !isUnchanged(picked) ? normalizePhone(picked) : picked;
    };

    const reshape = (image: Row): Row => {
      const value = phone(image);
      if (value === undefined) return image; // a key-only image: nothing to do
      const withNew = setCells(omitFromRow(image, new Set([from])), { [to]: value });
      return keepOld ? setCells(withNew, { [from]: value }) : withNew;
    };

    return {
      mapSchema: ({ table, schema }) => ({ table, schema: targetSchema(schema) }),
      apply(event: ChangeEvent) {
        if (event.op === 'truncate') return event;
        const schema = targetSchema(event.schema);
        const out = mapRow(event, (image, part) => (part === 'key' ? image : reshape(image)));
        return { ...out, schema };
      },
    };
  },
});

/** "+1 (555) 010-0199" -> "+15550100199". */
export function normalizePhone(text: string): string {
  return text.replace(/[\s().\-/]/g, '');
}
