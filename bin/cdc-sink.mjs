#!/usr/bin/env node
// Runs the TypeScript sources through tsx (the container image does the same).
import { register } from 'tsx/esm/api';
register();
await import('../services/cli.ts');
