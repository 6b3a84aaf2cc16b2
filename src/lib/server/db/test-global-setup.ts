import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { connect } from './connect';
import { startEmbedded } from './embedded';
import { migrate } from './migrate';
import { installJobs } from '../jobs';

/**
 * Migrates one database once for the whole run. Embedded: a PGlite dumped to a file that each test file
 * loads (under a second, against ~4.5 s for a fresh one). PostgreSQL: a template database each test file
 * copies with CREATE DATABASE … TEMPLATE.
 */
export default async function setup(project: TestProject) {
	const url = process.env.DATABASE_URL;
	if (url) {
		const admin = connect({ url, max: 1 });
		const template = `retour_template_${process.pid}`;
		await admin.unsafe(`drop database if exists ${template}`);
		await admin.unsafe(`create database ${template}`);
		const t = connect({ url: withDatabase(url, template), max: 1 });
		await migrate(t);
		await installJobs(t);
		await t.end();
		project.provide('dbTemplate', { kind: 'postgres', template });
		return async () => {
			const dbs = await admin<{ datname: string }[]>`select datname from pg_database where datname like ${template + '%'}`;
			for (const { datname } of dbs) await admin.unsafe(`drop database if exists ${datname} with (force)`);
			await admin.end();
		};
	}
	const embedded = await startEmbedded();
	const sql = connect({ host: embedded.host, port: embedded.port, max: 1 });
	await migrate(sql);
	await installJobs(sql);
	await sql.end();
	const dump = await embedded.pglite.dumpDataDir('none');
	await embedded.stop();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retour-test-'));
	const file = path.join(dir, 'template.tar');
	fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
	project.provide('dbTemplate', { kind: 'embedded', file });
	return () => fs.rmSync(dir, { recursive: true, force: true });
}

export function withDatabase(url: string, database: string): string {
	const u = new URL(url);
	u.pathname = '/' + database;
	return u.toString();
}

declare module 'vitest' {
	export interface ProvidedContext {
		dbTemplate: { kind: 'embedded'; file: string } | { kind: 'postgres'; template: string };
	}
}
