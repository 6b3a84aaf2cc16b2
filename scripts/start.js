// `npm start`: builds the portal when the build is missing or older than its sources, then serves it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);

const stamp = path.join(root, 'build', 'index.js');
const sources = ['src', 'messages', 'migrations', 'static', 'package.json', 'package-lock.json', 'svelte.config.js', 'vite.config.ts'];

function newest(p) {
	if (!fs.existsSync(p)) return 0;
	const stat = fs.statSync(p);
	if (!stat.isDirectory()) return stat.mtimeMs;
	let latest = 0;
	for (const entry of fs.readdirSync(p)) {
		if (p.endsWith('src') && entry === 'paraglide') continue; // generated
		latest = Math.max(latest, newest(path.join(p, entry)));
	}
	return latest;
}

const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
if (!built || Math.max(...sources.map(newest)) > built) {
	console.log(built ? 'Sources changed since the last build: building…' : 'Building Retour (first start)…');
	const result = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit', env: process.env });
	if (result.status !== 0) process.exit(result.status ?? 1);
}

process.env.NODE_ENV ??= 'production';
// Without ORIGIN adapter-node assumes https, and every form posted to http://localhost would fail the CSRF check.
process.env.ORIGIN ??= `http://localhost:${process.env.PORT ?? 3000}`;
// CSV imports of order history are larger than adapter-node's 512 KB default.
process.env.BODY_SIZE_LIMIT ??= '12M';
await import(pathToFileURL(stamp).href);
