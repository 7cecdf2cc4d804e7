#!/usr/bin/env node
/* global process, console */
// Measures the citizen portal's first load: the entry chunk, the portal route's chunk (loaded
// by React.lazy at once for `/`), and every chunk they import statically, gzip-sized from the
// Vite manifest. Fails when the JavaScript exceeds the budget (300 kB gzipped).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = path.resolve(import.meta.dirname, '..', 'web', 'dist');
const BUDGET_KB = 300;
let manifest;
try {
  manifest = JSON.parse(readFileSync(path.join(dist, '.vite', 'manifest.json'), 'utf8'));
} catch {
  console.error('web/dist/.vite/manifest.json not found: run `npm run build:web` first');
  process.exit(2);
}

const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry);
const routeKey = Object.keys(manifest).find((k) => k.endsWith('citizen/portal-page.tsx'));
const seen = new Set();
const css = new Set();
function walk(key) {
  if (!key || seen.has(key)) return;
  seen.add(key);
  for (const c of manifest[key].css ?? []) css.add(c);
  for (const imported of manifest[key].imports ?? []) walk(imported);
}
walk(entryKey);
walk(routeKey);

const gz = (file) => gzipSync(readFileSync(path.join(dist, file)), { level: 9 }).length;
const rows = [...seen].map((k) => ({ file: manifest[k].file, raw: readFileSync(path.join(dist, manifest[k].file)).length, gzip: gz(manifest[k].file) }));
const jsGzip = rows.reduce((s, r) => s + r.gzip, 0);
const cssGzip = [...css].reduce((s, f) => s + gz(f), 0);
for (const r of rows.sort((a, b) => b.gzip - a.gzip)) console.log(`  ${(r.gzip / 1024).toFixed(1).padStart(7)} kB gz  ${(r.raw / 1024).toFixed(1).padStart(7)} kB  ${r.file}`);
console.log(`citizen portal first load: ${(jsGzip / 1024).toFixed(1)} kB gzipped JavaScript in ${rows.length} chunks (+ ${(cssGzip / 1024).toFixed(1)} kB gzipped CSS); budget ${BUDGET_KB} kB`);
if (jsGzip / 1024 > BUDGET_KB) {
  console.error(`over budget by ${(jsGzip / 1024 - BUDGET_KB).toFixed(1)} kB`);
  process.exit(1);
}
