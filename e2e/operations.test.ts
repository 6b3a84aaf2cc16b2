import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';

test('the server shuts down gracefully on SIGTERM, closing the embedded database', async () => {
	test.setTimeout(120_000);
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'retour-shutdown-'));
	const port = 4391;
	const server = spawn(process.execPath, ['build'], {
		env: { ...process.env, PORT: String(port), ORIGIN: `http://localhost:${port}`, DATA_DIR: dataDir, DATABASE_URL: '', SEED_DEMO: 'false', LOG_LEVEL: 'info' },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	server.stdout.on('data', (d) => (output += d));
	server.stderr.on('data', (d) => (output += d));
	try {
		await expect
			.poll(async () => (await fetch(`http://localhost:${port}/healthz`).catch(() => null))?.status ?? 0, { timeout: 90_000 })
			.toBe(200);
		expect(fs.existsSync(path.join(dataDir, 'retour.lock'))).toBe(true);
		// Logs are JSON lines (pino).
		const firstLine = output.split('\n').find((l) => l.startsWith('{'))!;
		expect(JSON.parse(firstLine)).toMatchObject({ app: 'retour', level: 30 });

		const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
		server.kill('SIGTERM');
		const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 15_000))]);
		expect(code, output).toBe(0);
		expect(fs.existsSync(path.join(dataDir, 'retour.lock'))).toBe(false);
	} finally {
		server.kill('SIGKILL');
		fs.rmSync(dataDir, { recursive: true, force: true });
	}
});
