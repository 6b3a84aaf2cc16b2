import postgres from 'postgres';
import type { Sql } from './types';

/**
 * One place that builds postgres.js clients, so the app, the tests and the scripts parse values alike:
 * int8 (money in minor units, counts) and numeric (rates) come back as JS numbers, undefined binds as null.
 */
export function connect(
	options: { url: string; max?: number } | { host: string; port: number; max: 1 }
): Sql {
	const common: postgres.Options<Record<string, postgres.PostgresType>> = {
		max: options.max ?? 10,
		onnotice: () => {},
		transform: { undefined: null },
		connection: { application_name: 'retour' },
		types: {
			int8: {
				to: 20,
				from: [20],
				serialize: (x: unknown) => String(x),
				parse: (x: string) => Number(x)
			},
			numeric: {
				to: 1700,
				from: [1700],
				serialize: (x: unknown) => String(x),
				parse: (x: string) => Number(x)
			}
		}
	};
	if ('url' in options) return postgres(options.url, common) as unknown as Sql;
	return postgres({
		...common,
		host: options.host,
		port: options.port,
		username: 'postgres',
		database: 'postgres',
		// PGlite serves one backend session: no idle reaping, one connection for ever.
		idle_timeout: 0,
		max_lifetime: null
	}) as unknown as Sql;
}
