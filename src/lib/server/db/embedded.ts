import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface Embedded {
	pglite: PGlite;
	server: PGLiteSocketServer;
	host: string;
	port: number;
	stop(): Promise<void>;
}

/**
 * PostgreSQL compiled to WASM, served on loopback so postgres.js talks to it like to a server.
 * `dataDir` persists it; `loadDataDir` starts from a dump (tests); neither keeps it in memory.
 */
export async function startEmbedded(
	options: { dataDir?: string; loadDataDir?: Blob | File } = {}
): Promise<Embedded> {
	let release = () => {};
	if (options.dataDir) {
		fs.mkdirSync(options.dataDir, { recursive: true });
		release = lockDataDir(options.dataDir);
	}
	try {
		const pglite = options.dataDir
			? new PGlite(path.join(options.dataDir, 'pgdata'))
			: new PGlite({ loadDataDir: options.loadDataDir });
		await pglite.waitReady;
		const server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections: 4 });
		await server.start();
		const conn = server.getServerConn();
		const port = Number(conn.slice(conn.lastIndexOf(':') + 1));
		return {
			pglite,
			server,
			host: '127.0.0.1',
			port,
			async stop() {
				await server.stop();
				await pglite.close();
				release();
			}
		};
	} catch (error) {
		release();
		throw error;
	}
}

const held = new Set<string>();

/** PGlite is single-process: a second process (or a second instance) on the same folder would corrupt it. */
function lockDataDir(dataDir: string): () => void {
	const lockFile = path.join(dataDir, 'retour.lock');
	if (held.has(lockFile)) {
		throw new Error(`The embedded database in ${dataDir} is already open in this process.`);
	}
	try {
		fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
	} catch {
		const holder = Number(fs.readFileSync(lockFile, 'utf8'));
		if (holder && holder !== process.pid && isAlive(holder)) {
			throw new Error(
				`The embedded database in ${dataDir} is already used by process ${holder}. ` +
					'Stop it, use another DATA_DIR, or set DATABASE_URL to share a PostgreSQL server between processes.'
			);
		}
		fs.writeFileSync(lockFile, String(process.pid));
	}
	held.add(lockFile);
	return () => {
		held.delete(lockFile);
		try {
			if (fs.readFileSync(lockFile, 'utf8') === String(process.pid)) fs.unlinkSync(lockFile);
		} catch {
			/* already gone */
		}
	};
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}
