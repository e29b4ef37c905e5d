/**
 * The `transforms:` section of the YAML config. Several entries may match one table: their chains
 * run one after the other, in file order.
 */
import { z } from 'zod';

export const onErrorSchema = z
  .enum(['fail', 'skip', 'dead-letter'])
  .describe('What the pipeline does with an event a transform rejects: fail (stop), skip (drop it, log), dead-letter');

export const tableMatchSchema = z.union([
  z
    .string()
    .min(1)
    .describe('"namespace.name" of the source table, or a glob: * is any run of characters, ? one character'),
  z
    .object({
      namespace: z.string().min(1).optional().describe('exact source namespace (PostgreSQL schema, MySQL database)'),
      name: z.string().min(1).optional().describe('exact source table name'),
      pattern: z
        .string()
        .min(1)
        .refine(isValidRegex, { message: 'not a valid regular expression' })
        .optional()
        .describe('regular expression matched against the whole "namespace.name" (anchored)'),
    })
    .strict()
    .refine((m) => m.namespace !== undefined || m.name !== undefined || m.pattern !== undefined, {
      message: 'give at least one of namespace, name, pattern',
    }),
]);

export const transformSpecSchema = z
  .object({
    use: z
      .string()
      .min(1)
      .describe('a built-in name (rename-columns, ...), a path relative to the config file (./x.ts, ./x.mjs), or an npm package'),
    options: z.unknown().optional().describe("the plugin's options, validated by the plugin's own schema"),
  })
  .strict();

export const transformEntrySchema = z
  .object({
    match: tableMatchSchema.describe('which source tables this chain applies to'),
    onError: onErrorSchema.default('fail'),
    chain: z.array(transformSpecSchema).min(1).describe('transforms applied in order; each sees the previous output'),
  })
  .strict();

export const transformsConfigSchema = z
  .array(transformEntrySchema)
  .default([])
  .describe('transform chains per source table; entries matching the same table are concatenated in file order');

export type OnErrorPolicy = z.infer<typeof onErrorSchema>;
export type TableMatch = z.infer<typeof tableMatchSchema>;
export type TransformSpec = z.infer<typeof transformSpecSchema>;
export type TransformEntry = z.infer<typeof transformEntrySchema>;
export type TransformsConfig = z.infer<typeof transformsConfigSchema>;

function isValidRegex(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}
