import PgBoss from 'pg-boss';
import type { Queryable, Sql } from '../db';
import { log } from '../log';
import { QUEUE_NAMES, QUEUES, type JobHandlers, type JobPayloads, type JobRun, type QueueName } from './queues';

export { QUEUES, QUEUE_NAMES, type JobHandlers, type JobPayloads, type JobRun, type QueueName } from './queues';

type Executor = { executeSql(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }> };

/** pg-boss's maintenance and migrations: one transaction written out as `BEGIN; …; COMMIT;`. */
const WRAPPED_TRANSACTION = /^\s*BEGIN\s*;([\s\S]*?);?\s*COMMIT\s*;?\s*$/i;

/**
 * pg-boss speaks to PostgreSQL through our postgres.js client, on the pool like any query (never `sql.reserve()`:
 * a reservation queued while the pool recycles a connection is never served, which would stall a queue for good).
 * Its transactions written out as one `BEGIN; …; COMMIT;` string run in `sql.begin`, so a failure rolls back
 * rather than leaving a pooled connection inside an aborted transaction. `settled()` waits for every statement
 * started, so the pool is never ended under one.
 */
function poolExecutor(sql: Sql): Executor & { settled(): Promise<void>; busy(): boolean } {
	const inFlight = new Set<Promise<unknown>>();
	const run = async (text: string, values?: unknown[]) => {
		const wrapped = !values?.length && WRAPPED_TRANSACTION.exec(text);
		const result = wrapped ? await sql.begin((tx) => tx.unsafe(wrapped[1])) : await sql.unsafe(text, (values ?? []) as never[]);
		return { rows: Array.isArray(result) ? (result as unknown as Record<string, unknown>[]) : [] };
	};
	return {
		executeSql(text, values) {
			const statement = run(text, values);
			inFlight.add(statement);
			void statement.then(
				() => inFlight.delete(statement),
				() => inFlight.delete(statement)
			);
			return statement;
		},
		busy: () => inFlight.size > 0,
		async settled() {
			while (inFlight.size) await Promise.allSettled([...inFlight]);
		}
	};
}

/** Runs pg-boss's statements on the caller's transaction, so a job exists only if the change that asked for it does. */
function transactionExecutor(tx: Queryable): Executor {
	return {
		async executeSql(text, values) {
			const rows = await tx.unsafe(text, (values ?? []) as never[]);
			return { rows: rows as unknown as Record<string, unknown>[] };
		}
	};
}

// Sending needs no started boss: only its SQL, run on the transaction given with each job.
const sender = new PgBoss({ db: { executeSql: () => Promise.reject(new Error('enqueue() needs a transaction')) } });

/**
 * Enqueues a job in `tx` (the transaction of the state change that calls for it). With `singletonKey`, a job
 * with the same key not yet done makes this one a no-op (returns null).
 */
export async function enqueue<N extends QueueName>(
	tx: Queryable,
	name: N,
	data: JobPayloads[N],
	options: { startAfterSeconds?: number } = {}
): Promise<string | null> {
	const q = QUEUES[name];
	return sender.send(name, data as object, {
		db: transactionExecutor(tx),
		retryLimit: q.retryLimit,
		retryDelay: q.retryDelay,
		retryBackoff: true,
		expireInSeconds: q.expireInSeconds,
		...(options.startAfterSeconds ? { startAfter: options.startAfterSeconds } : {})
	} as PgBoss.SendOptions & { db: Executor });
}

/** Creates pg-boss's schema and Retour's queues when missing. Safe to run from several processes at once. */
export async function installJobs(sql: Sql): Promise<void> {
	const boss = new PgBoss({ db: poolExecutor(sql), supervise: false, schedule: false, migrate: true });
	boss.on('error', (error) => log.error({ err: error }, 'job queue error'));
	await boss.start();
	try {
		const existing = new Set((await boss.getQueues()).map((q) => q.name));
		for (const name of QUEUE_NAMES) if (!existing.has(name)) await boss.createQueue(name);
	} finally {
		await boss.stop({ graceful: false, close: false, wait: true, timeout: 1000 });
	}
}

/** How long stop() waits for jobs a polling loop fetched as it was stopped. */
const STOP_TIMEOUT_MS = 15_000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)).unref());

export interface Workers {
	/** Runs every job that is due now, in this process, until none is left (tests, bench, the CLI). */
	drain(options?: { timeoutMs?: number }): Promise<number>;
	/** Looks for new jobs now rather than at the next poll. */
	wake(): void;
	/** Gives jobs whose worker died (active past their expiry) back to the queue now, not at the next maintenance. */
	expireLost(): Promise<void>;
	stop(): Promise<void>;
}

export interface WorkerOptions {
	/** How often each queue is polled (pg-boss's minimum is 0.5 s). */
	pollingIntervalSeconds?: number;
	/** Jobs taken per fetch. */
	batchSize?: number;
	/** false: no polling loop, only drain() (tests that decide when jobs run). */
	poll?: boolean;
	/** Expired (lost) jobs are looked for this often. */
	superviseIntervalSeconds?: number;
	/** Only when this process is the queue's only worker (the embedded database): run abandoned jobs again at start. */
	recoverAbandoned?: boolean;
	/** Jobs run on a cron schedule (UTC); each firing is done once whatever the number of instances. */
	schedules?: { name: QueueName; cron: string }[];
}

/**
 * On the embedded database one process works the queue: a job still active when it starts was left by a
 * process that died mid-job. It is run again at once (its handler finds what was already done).
 */
export async function recoverAbandonedJobs(sql: Sql): Promise<string[]> {
	const rows = await sql<{ id: string }[]>`
		update pgboss.job set started_on = now() - expire_in - interval '1 second' where state = 'active' returning id`;
	return rows.map((r) => r.id);
}

/**
 * Starts the workers: any number of processes may run them on one PostgreSQL, each job is taken by one
 * (SELECT … FOR UPDATE SKIP LOCKED). A handler that throws is retried with backoff up to the queue's limit.
 */
export async function startWorkers(sql: Sql, handlers: JobHandlers, options: WorkerOptions = {}): Promise<Workers> {
	const executor = poolExecutor(sql);
	const boss = new PgBoss({
		db: executor,
		migrate: false,
		schedule: Boolean(options.schedules?.length),
		supervise: true,
		superviseIntervalSeconds: options.superviseIntervalSeconds ?? 30,
		maintenanceIntervalSeconds: Math.max(30, options.superviseIntervalSeconds ?? 30)
	} as PgBoss.ConstructorOptions);
	boss.on('error', (error) => log.error({ err: error }, 'job queue error'));
	await boss.start();
	if (options.recoverAbandoned) {
		const abandoned = await recoverAbandonedJobs(sql);
		if (abandoned.length) {
			log.warn({ jobs: abandoned.length }, 'jobs left active by a stopped process are run again');
			await (boss as unknown as { expire(): Promise<void> }).expire();
			await sql`update pgboss.job set start_after = now() where id in ${sql(abandoned)} and state = 'retry'`;
		}
	}
	for (const { name, cron } of options.schedules ?? []) await boss.schedule(name, cron, {}, { tz: 'UTC' });
	const workerIds: string[] = [];

	const run = async (name: QueueName, job: PgBoss.JobWithMetadata<object>) => {
		const attempt = job.retryCount + 1;
		const lastAttempt = job.retryCount >= job.retryLimit;
		const handler = handlers[name] as (job: JobRun<QueueName>) => Promise<void>;
		try {
			await handler({ id: job.id, name, data: job.data as JobPayloads[QueueName], attempt, lastAttempt });
		} catch (error) {
			const entry = { err: error, job: job.id, queue: name, attempt, lastAttempt };
			if (lastAttempt) log.error(entry, `job ${name} failed for good`);
			else log.info(entry, `job ${name} failed, will retry`);
			throw error;
		}
	};

	// Each job of a batch runs at once and settles on its own: one failure retries that job only.
	const running = new Set<Promise<void>>();
	const settle = (name: QueueName, job: PgBoss.JobWithMetadata<object>) => {
		const settling = (async () => {
			try {
				await run(name, job);
				await boss.complete(name, job.id);
			} catch (error) {
				await boss.fail(name, job.id, { message: error instanceof Error ? error.message : String(error) });
			}
		})();
		running.add(settling);
		void settling.finally(() => running.delete(settling));
		return settling;
	};

	if (options.poll !== false) {
		for (const name of QUEUE_NAMES) {
			const id = await boss.work<object>(
				name,
				{ pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1, batchSize: options.batchSize ?? 10, includeMetadata: true },
				async (jobs) => {
					await Promise.all(jobs.map((job) => settle(name, job)));
				}
			);
			workerIds.push(id);
		}
	}

	return {
		async drain({ timeoutMs = 30_000 } = {}) {
			const until = Date.now() + timeoutMs;
			let done = 0;
			for (;;) {
				let found = 0;
				for (const name of QUEUE_NAMES) {
					const jobs = (await boss.fetch<object>(name, { batchSize: 20, includeMetadata: true })) ?? [];
					found += jobs.length;
					await Promise.all(jobs.map((job) => settle(name, job)));
				}
				done += found;
				if (found === 0) return done;
				if (Date.now() > until) throw new Error(`Jobs still running after ${timeoutMs} ms`);
			}
		},
		wake() {
			for (const id of workerIds) boss.notifyWorker(id);
		},
		async expireLost() {
			await (boss as unknown as { expire(): Promise<void> }).expire();
		},
		async stop() {
			// Each polling loop ends at its next tick: stop them together, not one queue after another.
			await Promise.all(workerIds.length ? QUEUE_NAMES.map((name) => boss.offWork(name)) : []);
			await boss.stop({ graceful: true, close: false, wait: true, timeout: 10_000 });
			// A loop stopped mid-fetch still runs the jobs that fetch returns: wait for those and for every statement
			// pg-boss started, so the caller may end the pool (postgres.js never ends one with a query in flight).
			const until = Date.now() + STOP_TIMEOUT_MS;
			while (Date.now() < until) {
				await Promise.race([Promise.allSettled([...running, executor.settled()]), sleep(until - Date.now())]);
				await sleep(10); // a fetch that just returned hands its jobs over on a later tick
				if (!running.size && !executor.busy()) break;
			}
			if (running.size || executor.busy()) log.warn({ jobs: running.size }, 'jobs still running when the workers stopped');
		}
	};
}
