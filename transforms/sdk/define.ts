import type { z } from 'zod';
import type { Transform, TransformContext, TransformDefinition, TransformMeta } from './types.ts';

export interface DefineTransformInput<S extends z.ZodType> {
  readonly meta: TransformMeta;
  /** zod schema of the options; use z.object({...}).strict() so typos in YAML are rejected. */
  readonly options: S;
  create(options: z.output<S>, ctx: TransformContext): Transform | Promise<Transform>;
}

/**
 * Declares a transform plugin; a plugin module default-exports the result. Typed so that `options`
 * in create() is what the zod schema outputs (defaults applied).
 *
 *   export default defineTransform({
 *     meta: { name: 'uppercase-email', version: '1.0.0', apiVersion: 1 },
 *     options: z.object({ column: z.string() }).strict(),
 *     create: (options) => ({ apply: (event) => ... }),
 *   });
 */
export function defineTransform<S extends z.ZodType>(
  definition: DefineTransformInput<S>,
): TransformDefinition<z.output<S>> {
  return Object.freeze({
    meta: Object.freeze({ ...definition.meta }),
    options: definition.options as z.ZodType<z.output<S>>,
    create: (options: z.output<S>, ctx: TransformContext) => definition.create(options, ctx),
  });
}
