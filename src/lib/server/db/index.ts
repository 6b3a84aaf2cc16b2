import { connect } from './connect';
import { startEmbedded, type Embedded } from './embedded';
import { migrate, type MigrateResult } from './migrate';
import type { Sql } from './types';

export type { Sql, TransactionSql, Queryable } from './types';

export interface Database {
	sql: Sql;
	kind: 'embedded' | 'postgres';
	/** True when this start created the embedded database (so the demo shop is seeded). */
	created: boolean;
	migrations: MigrateResult;
	close(): Promise<void>;
}

/**
 * DATABASE_URL set: that server, with a pool, shared by any number of app processes.
 * Unset: the embedded PGlite under dataDir, one connection, one process.
 */
export async function openDatabase(options: { databaseUrl?: string; dataDir: string; poolSize?: number }): Promise<Database> {
	if (options.databaseUrl) {
		const sql = connect({ url: options.databaseUrl, max: options.poolSize ?? 10 });
		const migrations = await migrate(sql);
		return {
			sql,
			kind: 'postgres',
			created: migrations.alreadyApplied === 0,
			migrations,
			close: () => sql.end({ timeout: 5 })
		};
	}
	const embedded: Embedded = await startEmbedded({ dataDir: options.dataDir });
	const sql = connect({ host: embedded.host, port: embedded.port, max: 1 });
	try {
		const migrations = await migrate(sql);
		return {
			sql,
			kind: 'embedded',
			created: migrations.alreadyApplied === 0,
			migrations,
			async close() {
				await sql.end({ timeout: 5 });
				await embedded.stop();
			}
		};
	} catch (error) {
		await sql.end({ timeout: 1 });
		await embedded.stop();
		throw error;
	}
}

// The app's one database, opened by the server's init hook. Kept on globalThis so `vite dev` reloads
// never open a second PGlite on the same folder.
const holder = globalThis as unknown as { __retourDb?: Database };

export function setDatabase(db: Database | undefined) {
	holder.__retourDb = db;
}

export function db(): Sql {
	const current = holder.__retourDb;
	if (!current) throw new Error('The database is not open yet');
	return current.sql;
}

export function currentDatabase(): Database | undefined {
	return holder.__retourDb;
}
