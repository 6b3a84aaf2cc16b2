import { readConfig, publicOrigin, type Config } from './config';
import { currentDatabase, openDatabase, setDatabase } from './db';
import { log } from './log';

const state = globalThis as unknown as { __retourStarting?: Promise<Config>; __retourWorkers?: import('./jobs').Workers };

/**
 * Opens the database (migrating it), seeds the demo shop on a first embedded start, and arranges a
 * graceful shutdown. Called once by the server's init hook; safe to call again.
 */
export function startApp(): Promise<Config> {
	state.__retourStarting ??= start().catch((error) => {
		state.__retourStarting = undefined;
		throw error;
	});
	return state.__retourStarting;
}

async function start(): Promise<Config> {
	const config = readConfig();
	if (currentDatabase()) return config;
	const started = Date.now();
	const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
	setDatabase(database);
	log.info(
		{ kind: database.kind, applied: database.migrations.applied, ms: Date.now() - started },
		database.kind === 'embedded' ? `embedded database in ${config.dataDir}` : 'connected to PostgreSQL'
	);
	process.once('sveltekit:shutdown', async (reason: string) => {
		log.info({ reason }, 'shutting down');
		await state.__retourWorkers?.stop().catch((error) => log.error({ err: error }, 'stopping the job workers failed'));
		await database.close().catch((error) => log.error({ err: error }, 'closing the database failed'));
		setDatabase(undefined);
	});
	const { ensureLivePolicies } = await import('./policy/versions');
	const installed = await ensureLivePolicies(database.sql);
	if (installed) log.info({ shops: installed }, 'default return policy installed');
	if (config.seedDemo) {
		const { seedDemoIfEmpty } = await import('./demo/seed');
		const demo = await seedDemoIfEmpty(database.sql, config);
		if (demo) printDemo(demo);
	}
	await startJobWorkers(database.sql, config);
	log.info({ url: publicOrigin(config) }, `Retour is ready at ${publicOrigin(config)}`);
	// The local classifier trains in a second or two: once, soon after start, rather than while a customer waits.
	setTimeout(() => void import('./conversation/classifier').then((c) => c.reasonClassifier()), 1000).unref();
	return config;
}

/**
 * Every app process works the queue (labels, refunds, emails, webhooks): one process on the embedded database,
 * any number on PostgreSQL. RETOUR_WORKERS=false keeps a process out of it.
 */
async function startJobWorkers(sql: import('./db').Sql, config: Config) {
	const { installJobs, startWorkers } = await import('./jobs');
	await installJobs(sql);
	if (process.env.RETOUR_WORKERS === 'false') return;
	const { configuredDependencies, jobHandlers } = await import('./jobs/handlers');
	const workers = await startWorkers(sql, jobHandlers(sql, await configuredDependencies(config)), {
		recoverAbandoned: !config.databaseUrl,
		schedules: [{ name: 'credit-expire', cron: '17 3 * * *' }]
	});
	state.__retourWorkers = workers;
}

function printDemo(demo: import('./demo/seed').DemoInfo) {
	const lines = [
		'',
		`  Retour demo shop ready at ${demo.url}`,
		`  Sign in at ${demo.url}/login as ${demo.admin.email} / ${demo.admin.password}`,
		`  Shop API key: ${demo.apiKey}`,
		'  Return links:',
		...demo.returnLinks.map((l) => `    ${l.scenario.padEnd(20)} ${l.url}`),
		''
	];
	console.log(lines.join('\n'));
}
