import fs from 'node:fs';
import { inject } from 'vitest';
import { connect } from './connect';
import { setDatabase, type Database } from './index';
import { startEmbedded } from './embedded';
import { withDatabase } from './test-global-setup';
import type { Sql } from './types';

export interface TestDatabase {
	sql: Sql;
	kind: 'embedded' | 'postgres';
	/** For tests that need a second client on the same database (PostgreSQL only). */
	url?: string;
	close(): Promise<void>;
}

let counter = 0;

/** A fresh, migrated database for one test file: call in beforeAll, close in afterAll. */
export async function createTestDatabase(): Promise<TestDatabase> {
	const template = inject('dbTemplate');
	if (template.kind === 'postgres') {
		const base = process.env.DATABASE_URL!;
		const admin = connect({ url: base, max: 1 });
		const name = `${template.template}_${process.pid}_${++counter}_${Math.random().toString(36).slice(2, 8)}`;
		await admin.unsafe(`create database ${name} template ${template.template}`);
		await admin.end();
		const url = withDatabase(base, name);
		const sql = connect({ url, max: 5 });
		return {
			sql,
			kind: 'postgres',
			url,
			async close() {
				await sql.end({ timeout: 5 });
				const a = connect({ url: base, max: 1 });
				await a.unsafe(`drop database if exists ${name} with (force)`);
				await a.end();
			}
		};
	}
	const blob = new Blob([fs.readFileSync(template.file)]);
	const embedded = await startEmbedded({ loadDataDir: blob });
	const sql = connect({ host: embedded.host, port: embedded.port, max: 1 });
	return {
		sql,
		kind: 'embedded',
		async close() {
			await sql.end({ timeout: 5 });
			await embedded.stop();
		}
	};
}

/** Tests that need a real PostgreSQL server (row locks, several connections) run only in that pass. */
export const realPostgres = Boolean(process.env.DATABASE_URL);

/**
 * For tests of routes and hooks: a fresh database installed as the app's (`db()`), with RETURN_LINK_SECRET set
 * (required with PostgreSQL); `close()` undoes both.
 */
export async function createAppTestDatabase(returnLinkSecret: string): Promise<TestDatabase> {
	const previous = process.env.RETURN_LINK_SECRET;
	process.env.RETURN_LINK_SECRET = returnLinkSecret;
	const t = await createTestDatabase();
	setDatabase({ sql: t.sql } as unknown as Database);
	return {
		...t,
		async close() {
			setDatabase(undefined);
			if (previous === undefined) delete process.env.RETURN_LINK_SECRET;
			else process.env.RETURN_LINK_SECRET = previous;
			await t.close();
		}
	};
}

