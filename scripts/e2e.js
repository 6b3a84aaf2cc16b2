// `npm run test:e2e`: builds the production server, then drives it in Chromium with Playwright.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { findChromium } from './chromium.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);

const chromium = findChromium({ install: true });
if (chromium) process.env.CHROMIUM_PATH = chromium;

const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

// A throwaway data directory: the server seeds the demo shop into it on its first start.
const dataDir = path.join(root, 'e2e', '.tmp', `data-${process.pid}`);
fs.rmSync(path.join(root, 'e2e', '.tmp'), { recursive: true, force: true });
fs.mkdirSync(dataDir, { recursive: true });
process.env.E2E_DATA_DIR = dataDir;

const run = spawnSync('npx', ['playwright', 'test', ...process.argv.slice(2)], { stdio: 'inherit' });
if (run.status === 0) fs.rmSync(path.join(root, 'e2e', '.tmp'), { recursive: true, force: true });
process.exit(run.status ?? 1);
