import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checksum, migrate, MigrationError, orderMigrations } from './migrate';
import { connect } from './connect';
import { withDatabase } from './test-global-setup';
import { createTestDatabase, realPostgres, type TestDatabase } from './test-db';

let t: TestDatabase;
beforeAll(async () => {
	t = await createTestDatabase();
});
afterAll(() => t.close());

describe('migrate', () => {
	it('has applied every bundled migration with its checksum', async () => {
		const rows = await t.sql<{ name: string; checksum: string }[]>`select name, checksum from schema_migrations order by name`;
		expect(rows[0].name).toBe('0001_init.sql');
		expect(rows[0].checksum).toMatch(/^[0-9a-f]{64}$/);
	});

	it('is a no-op when nothing is pending', async () => {
		const result = await migrate(t.sql);
		expect(result.applied).toEqual([]);
		expect(result.alreadyApplied).toBeGreaterThan(0);
	});

	it('applies a new file once, in a transaction, and refuses a changed one', async () => {
		const { bundledMigrations } = await import('./migrate');
		const all = bundledMigrations();
		const extra = { name: '9000_test_extra.sql', sql: 'create table test_extra (id int primary key);' };
		const first = await migrate(t.sql, [...all, extra]);
		expect(first.applied).toEqual(['9000_test_extra.sql']);
		const [row] = await t.sql`select checksum from schema_migrations where name = '9000_test_extra.sql'`;
		expect(row.checksum).toBe(checksum(extra.sql));

		const changed = { ...extra, sql: extra.sql + '\n-- edited' };
		await expect(migrate(t.sql, [...all, changed])).rejects.toThrow(/was changed after it was applied/);
		await expect(migrate(t.sql, all)).rejects.toThrow(/does not have/);
	});

	it('rolls back a failing migration whole', async () => {
		const { bundledMigrations } = await import('./migrate');
		const broken = { name: '9001_broken.sql', sql: 'create table half_written (id int); select * from no_such_table;' };
		const extra = { name: '9000_test_extra.sql', sql: 'create table test_extra (id int primary key);' };
		await expect(migrate(t.sql, [...bundledMigrations(), extra, broken])).rejects.toThrow(/no_such_table/);
		const [{ exists }] = await t.sql`select to_regclass('half_written') is not null as exists`;
		expect(exists).toBe(false);
	});

	it('rejects badly named or duplicate-numbered files', () => {
		expect(() => orderMigrations([{ name: 'init.sql', sql: '' }])).toThrow(MigrationError);
		expect(() =>
			orderMigrations([
				{ name: '0002_a.sql', sql: '' },
				{ name: '0002_b.sql', sql: '' }
			])
		).toThrow(/Two migrations are numbered 0002/);
	});
});

describe.runIf(realPostgres)('migrate on a shared server (real PostgreSQL)', () => {
	it('several app processes starting at once apply each migration exactly once', async () => {
		const admin = connect({ url: process.env.DATABASE_URL!, max: 1 });
		const name = `retour_migrate_race_${process.pid}`;
		await admin.unsafe(`drop database if exists ${name}`);
		await admin.unsafe(`create database ${name}`);
		const clients = Array.from({ length: 4 }, () => connect({ url: withDatabase(process.env.DATABASE_URL!, name), max: 2 }));
		try {
			const results = await Promise.all(clients.map((c) => migrate(c)));
			expect(results.filter((r) => r.applied.length > 0)).toHaveLength(1);
			const [{ n }] = await clients[0]`select count(*)::int as n from schema_migrations`;
			expect(n).toBe(results.find((r) => r.applied.length > 0)!.applied.length);
		} finally {
			await Promise.all(clients.map((c) => c.end()));
			await admin.unsafe(`drop database if exists ${name} with (force)`);
			await admin.end();
		}
	});
});
