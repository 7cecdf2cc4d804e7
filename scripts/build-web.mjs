#!/usr/bin/env node
/* global process, console */
// Builds the web app (web/ → web/dist) with Vite; run by `npm ci`/`npm install` (postinstall)
// so `npm start` on a fresh clone serves it. Skips quietly when the build tools are not
// installed (`npm ci --omit=dev`): the server then keeps its server-rendered landing page.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
if (!existsSync(path.join(root, 'web', 'index.html'))) process.exit(0);
if (!existsSync(vite) || !existsSync(path.join(root, 'node_modules', 'react'))) {
  console.log('web app not built: the build tools (devDependencies) are not installed');
  process.exit(0);
}
const started = Date.now();
const result = spawnSync(process.execPath, [vite, 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) {
  console.error('building the web app failed');
  process.exit(result.status ?? 1);
}
console.log(`web app built into web/dist in ${((Date.now() - started) / 1000).toFixed(1)} s`);
