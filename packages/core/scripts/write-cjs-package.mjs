// dist/cjs holds CommonJS files inside a "type": "module" package; this marker makes Node load them as CJS.
import { writeFileSync } from 'node:fs';
writeFileSync(new URL('../dist/cjs/package.json', import.meta.url), '{ "type": "commonjs" }\n');
