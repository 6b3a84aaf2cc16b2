import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connect } from './connect';
import { startEmbedded } from './embedded';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retour-embedded-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the embedded database', () => {
	it('persists under its data directory, serves postgres.js on loopback, and allows one owner at a time', async () => {
		const first = await startEmbedded({ dataDir: dir });
		try {
			expect(fs.readFileSync(path.join(dir, 'retour.lock'), 'utf8')).toBe(String(process.pid));
			await expect(startEmbedded({ dataDir: dir })).rejects.toThrow(/already open in this process/);

			// Another process holding the folder is refused with a message that says what to do.
			const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
			try {
				fs.writeFileSync(path.join(dir, 'retour.lock'), String(other.pid));
				const stolen = path.join(dir, 'other');
				fs.mkdirSync(stolen);
				fs.writeFileSync(path.join(stolen, 'retour.lock'), String(other.pid));
				await expect(startEmbedded({ dataDir: stolen })).rejects.toThrow(/already used by process \d+.*DATABASE_URL/s);
			} finally {
				other.kill();
				fs.writeFileSync(path.join(dir, 'retour.lock'), String(process.pid));
			}

			const sql = connect({ host: first.host, port: first.port, max: 1 });
			await sql`create table kept (v text)`;
			await sql`insert into kept values ('still here')`;
			await sql.end();
		} finally {
			await first.stop();
		}
		expect(fs.existsSync(path.join(dir, 'retour.lock'))).toBe(false);

		// A stale lock (its process is gone) does not block a restart, and the data survived.
		fs.writeFileSync(path.join(dir, 'retour.lock'), '999999');
		const again = await startEmbedded({ dataDir: dir });
		try {
			const sql = connect({ host: again.host, port: again.port, max: 1 });
			expect(await sql`select v from kept`).toEqual([{ v: 'still here' }]);
			await sql.end();
		} finally {
			await again.stop();
		}
	}, 60_000);
});
