// Regenerates the README's claim table from the registry (the registry is the source of truth;
// packages/core/test/registry.test.ts fails when the README copy is stale).
import { readFileSync, writeFileSync } from 'node:fs';
import { claimTableMarkdown, lintRulesMarkdown } from 'daily-tokens/explain';

const file = new URL('../README.md', import.meta.url);
const replace = (text, name, body) => {
  const re = new RegExp(`(<!-- ${name}:start -->\\n)[\\s\\S]*?(<!-- ${name}:end -->)`);
  if (!re.test(text)) throw new Error(`README.md has no <!-- ${name}:start --> … <!-- ${name}:end --> block`);
  return text.replace(re, `$1${body}\n$2`);
};
let readme = readFileSync(file, 'utf8');
readme = replace(readme, 'claim-table', claimTableMarkdown());
readme = replace(readme, 'lint-rules', lintRulesMarkdown());
writeFileSync(file, readme);
console.log('README.md: claim table and lint rules regenerated');
