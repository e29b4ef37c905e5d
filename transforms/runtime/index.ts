/** The transform runtime: config schema, loading, and per-table chains. */
export { transformsConfigSchema, transformEntrySchema, transformSpecSchema, tableMatchSchema, onErrorSchema } from './config.ts';
export type { OnErrorPolicy, TableMatch, TransformEntry, TransformSpec, TransformsConfig } from './config.ts';
export { buildTransformRegistry } from './registry.ts';
export type { RuntimeLogger, TransformRegistry, TransformRegistryOptions } from './registry.ts';
export { NOOP_OBSERVER, applyStep, createChain, identityChain } from './chain.ts';
export type { ChainStep, TableTransforms, TransformObserver } from './chain.ts';
export { checkDefinition, instantiate, validateOptions } from './definition.ts';
export { TransformLoader, sourceKind } from './load.ts';
export { compileMatch, matchText } from './match.ts';
export type { StepLabel } from './errors.ts';
