#!/usr/bin/env node
/* global process, console */
// Runs the browser journeys when Debian's Chromium is installed; says clearly when it skips.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const chromium = process.env.BARQ_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.log(`browser tests skipped: ${chromium} not found`);
  process.exit(0);
}
const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'node_modules', '@playwright', 'test', 'cli.js');
const result = spawnSync(process.execPath, [cli, 'test', '-c', 'test/e2e/playwright.config.ts', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
