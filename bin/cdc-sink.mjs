#!/usr/bin/env node
// Runs the TypeScript sources through tsx, for development (the container image runs the compiled
// build: npm run build -> dist/services/cli.js). Both tsx hooks, so a TypeScript transform plugin
// outside a "type": "module" package (CommonJS to Node) loads as under the compiled build.
import { register } from 'tsx/esm/api';
import { register as registerCommonJs } from 'tsx/cjs/api';
register();
registerCommonJs();
await import('../services/cli.ts');
