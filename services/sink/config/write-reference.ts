/** npm run docs:config — rewrites docs/configuration.md from the schema. */
import { writeFileSync } from 'node:fs';
import { renderConfigReference } from './reference.ts';

writeFileSync(new URL('../../../docs/configuration.md', import.meta.url), renderConfigReference());
console.log('wrote docs/configuration.md');
