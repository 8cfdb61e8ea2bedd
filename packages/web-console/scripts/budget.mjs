// After `vite build`: prints the gzipped size of the JavaScript the first page load needs
// (the entry chunk and what index.html preloads) and fails above the budget.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 200;
const dist = path.resolve(import.meta.dirname, '..', 'dist');
const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
const scripts = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
if (!scripts.length) {
  console.error('budget: index.html loads no script from assets/');
  process.exit(1);
}
let total = 0;
for (const file of new Set(scripts)) {
  const bytes = gzipSync(readFileSync(path.join(dist, file)), { level: 9 }).length;
  total += bytes;
  console.log(`budget: ${file} ${(bytes / 1024).toFixed(1)} KB gzipped`);
}
const kb = total / 1024;
console.log(`budget: initial JavaScript ${kb.toFixed(1)} KB gzipped (budget ${BUDGET_KB} KB)`);
if (kb > BUDGET_KB) {
  console.error(`budget: over by ${(kb - BUDGET_KB).toFixed(1)} KB`);
  process.exit(1);
}
