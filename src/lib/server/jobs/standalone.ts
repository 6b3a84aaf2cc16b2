import { readConfig } from '../config';
import { connect } from '../db/connect';
import { configuredDependencies, jobHandlers } from './handlers';
import { installJobs, startWorkers, type WorkerOptions } from './index';

/**
 * Workers in a process of their own, on the PostgreSQL of DATABASE_URL, with the providers of the environment:
 * another app instance as far as the queue can tell. Used by tests that kill a worker mid-job.
 */
export async function runStandaloneWorkers(options: WorkerOptions = {}) {
	const config = readConfig();
	if (!config.databaseUrl) throw new Error('Standalone workers need DATABASE_URL (the embedded database serves one process)');
	const sql = connect({ url: config.databaseUrl, max: 4 });
	await installJobs(sql);
	const workers = await startWorkers(sql, jobHandlers(sql, await configuredDependencies(config)), options);
	return {
		async stop() {
			await workers.stop();
			await sql.end({ timeout: 5 });
		}
	};
}
