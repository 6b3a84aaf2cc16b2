import { currentDatabase } from './db';

export interface Health {
	status: 'ok' | 'unavailable';
	database: { status: 'ok' | 'unavailable'; kind: 'embedded' | 'postgres' | null; latencyMs: number | null; migrations: number | null; error?: string };
	uptimeSeconds: number;
}

export async function checkHealth(): Promise<Health> {
	const database = currentDatabase();
	const uptimeSeconds = Math.round(process.uptime());
	if (!database) {
		return { status: 'unavailable', database: { status: 'unavailable', kind: null, latencyMs: null, migrations: null, error: 'not open' }, uptimeSeconds };
	}
	const started = performance.now();
	try {
		const [row] = await Promise.race([
			database.sql<{ migrations: number }[]>`select count(*)::int as migrations from schema_migrations`,
			new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out after 2 s')), 2000))
		]);
		return {
			status: 'ok',
			database: { status: 'ok', kind: database.kind, latencyMs: Math.round((performance.now() - started) * 10) / 10, migrations: row.migrations },
			uptimeSeconds
		};
	} catch (error) {
		return {
			status: 'unavailable',
			database: { status: 'unavailable', kind: database.kind, latencyMs: null, migrations: null, error: (error as Error).message },
			uptimeSeconds
		};
	}
}
