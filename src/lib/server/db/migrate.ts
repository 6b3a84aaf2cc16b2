import { createHash } from 'node:crypto';
import type { Sql } from './types';

export interface Migration {
	name: string;
	sql: string;
}

export interface MigrateResult {
	applied: string[];
	alreadyApplied: number;
}

export class MigrationError extends Error {}

const NAME = /^(\d{4})_[a-z0-9_]+\.sql$/;

/** The files in migrations/, bundled at build time so the built server needs no source tree. */
export function bundledMigrations(): Migration[] {
	const files = import.meta.glob('/migrations/*.sql', {
		query: '?raw',
		import: 'default',
		eager: true
	}) as Record<string, string>;
	return Object.entries(files).map(([file, text]) => ({ name: file.split('/').pop()!, sql: text }));
}

export function checksum(text: string): string {
	return createHash('sha256').update(text).digest('hex');
}

/** Numbered, forward-only, each name unique: anything else is a mistake to stop on. */
export function orderMigrations(migrations: Migration[]): Migration[] {
	const sorted = [...migrations].sort((a, b) => a.name.localeCompare(b.name));
	const seen = new Set<string>();
	for (const m of sorted) {
		const match = NAME.exec(m.name);
		if (!match) throw new MigrationError(`Migration file "${m.name}" must be named NNNN_words.sql`);
		if (seen.has(match[1])) throw new MigrationError(`Two migrations are numbered ${match[1]}`);
		seen.add(match[1]);
	}
	return sorted;
}

/**
 * Applies the pending migrations in one transaction under an advisory lock (several app processes may
 * start together on PostgreSQL), and refuses to start when a file that was applied has changed since.
 */
export async function migrate(sql: Sql, migrations: Migration[] = bundledMigrations()): Promise<MigrateResult> {
	const ordered = orderMigrations(migrations);
	return sql.begin(async (tx) => {
		await tx`select pg_advisory_xact_lock(7406873412)`;
		await tx`
			create table if not exists schema_migrations (
				name text primary key,
				checksum text not null,
				applied_at timestamptz not null default now()
			)`;
		const rows = await tx<{ name: string; checksum: string }[]>`select name, checksum from schema_migrations`;
		const applied = new Map(rows.map((r) => [r.name, r.checksum]));
		const known = new Set(ordered.map((m) => m.name));
		for (const name of applied.keys()) {
			if (!known.has(name)) {
				throw new MigrationError(
					`The database has migration ${name} applied, which this version of Retour does not have. Refusing to start.`
				);
			}
		}
		const done: string[] = [];
		for (const m of ordered) {
			const sum = checksum(m.sql);
			const previous = applied.get(m.name);
			if (previous !== undefined) {
				if (previous !== sum) {
					throw new MigrationError(
						`Migration ${m.name} was changed after it was applied (checksum ${previous.slice(0, 12)}… is now ${sum.slice(0, 12)}…). ` +
							'Applied migrations are history: restore the file and add a new migration instead. Refusing to start.'
					);
				}
				continue;
			}
			await tx.unsafe(m.sql).simple();
			await tx`insert into schema_migrations (name, checksum) values (${m.name}, ${sum})`;
			done.push(m.name);
		}
		return { applied: done, alreadyApplied: applied.size };
	}) as Promise<MigrateResult>;
}
