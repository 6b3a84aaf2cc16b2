import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../db/connect';
import { createTestDatabase, realPostgres, type TestDatabase } from '../db/test-db';
import { enqueue, QUEUE_NAMES, startWorkers, type JobHandlers, type JobRun, type QueueName } from './index';

let t: TestDatabase;
beforeAll(async () => {
	t = await createTestDatabase();
});
afterAll(() => t?.close());

function recorder() {
	const runs: JobRun<QueueName>[] = [];
	const handler = async (job: JobRun<QueueName>) => void runs.push(job);
	const handlers = Object.fromEntries(QUEUE_NAMES.map((name) => [name, handler])) as unknown as JobHandlers;
	return { runs, handlers };
}

const jobCount = async (name: string) =>
	(await t.sql<{ n: number }[]>`select count(*)::int as n from pgboss.job where name = ${name}`)[0].n;

describe('jobs', () => {
	it('exists only when the transaction that enqueued it commits', async () => {
		const before = await jobCount('email-send');
		await t.sql
			.begin(async (tx) => {
				await enqueue(tx, 'email-send', { emailId: 'rolled-back' });
				throw new Error('the change failed');
			})
			.catch(() => {});
		expect(await jobCount('email-send')).toBe(before);
		await t.sql.begin((tx) => enqueue(tx, 'email-send', { emailId: 'kept' }));
		expect(await jobCount('email-send')).toBe(before + 1);

		const { runs, handlers } = recorder();
		const workers = await startWorkers(t.sql, handlers, { poll: false });
		try {
			expect(await workers.drain()).toBe(1);
			expect(runs.map((r) => [r.name, r.data, r.attempt])).toEqual([['email-send', { emailId: 'kept' }, 1]]);
			expect(await workers.drain()).toBe(0); // done once
		} finally {
			await workers.stop();
		}
	});

	it('retries a failing job with backoff and says which attempt is the last', async () => {
		await t.sql.begin((tx) => enqueue(tx, 'webhook-deliver', { deliveryId: 'flaky' }));
		// Retries wait (30 s, doubled): make this job's next attempts due now, as time passing would.
		const attempts: { attempt: number; last: boolean }[] = [];
		const { handlers } = recorder();
		handlers['webhook-deliver'] = async (job) => {
			attempts.push({ attempt: job.attempt, last: job.lastAttempt });
			throw new Error('the shop answered 503');
		};
		const workers = await startWorkers(t.sql, handlers, { poll: false });
		try {
			for (let i = 0; i < 12; i++) {
				await workers.drain();
				const [job] = await t.sql<{ state: string; start_after: Date }[]>`
					select state, start_after from pgboss.job where name = 'webhook-deliver' and data->>'deliveryId' = 'flaky'`;
				if (job.state === 'failed') break;
				expect(job.state).toBe('retry');
				expect(job.start_after.getTime()).toBeGreaterThan(Date.now()); // not at once: backoff
				await t.sql`update pgboss.job set start_after = now() - interval '1 second'
					where name = 'webhook-deliver' and data->>'deliveryId' = 'flaky'`;
			}
			expect(attempts.length).toBe(11); // the first and ten retries
			expect(attempts.at(-1)).toEqual({ attempt: 11, last: true });
			expect(attempts.slice(0, -1).every((a) => !a.last)).toBe(true);
		} finally {
			await workers.stop();
		}
	});

	describe.runIf(realPostgres)('two app instances on one PostgreSQL', () => {
		it('do each job once', async () => {
			const other = connect({ url: t.url!, max: 5 });
			const seen: string[] = [];
			const slowHandler = async (job: JobRun<QueueName>) => {
				seen.push((job.data as { emailId: string }).emailId);
				await new Promise((r) => setTimeout(r, 2));
			};
			const handlers = Object.fromEntries(QUEUE_NAMES.map((name) => [name, slowHandler])) as unknown as JobHandlers;
			await t.sql`delete from pgboss.job where name = 'email-send'`;
			await t.sql.begin(async (tx) => {
				for (let i = 0; i < 200; i++) await enqueue(tx, 'email-send', { emailId: `e${i}` });
			});
			const a = await startWorkers(t.sql, handlers, { pollingIntervalSeconds: 0.5, batchSize: 10 });
			const b = await startWorkers(other, handlers, { pollingIntervalSeconds: 0.5, batchSize: 10 });
			try {
				const until = Date.now() + 30_000;
				while (Date.now() < until) {
					const [{ n }] = await t.sql<{ n: number }[]>`select count(*)::int as n from pgboss.job where name = 'email-send' and state = 'completed'`;
					if (n === 200) break;
					await new Promise((r) => setTimeout(r, 100));
				}
			} finally {
				await a.stop();
				await b.stop();
				await other.end();
			}
			expect(seen.length).toBe(200);
			expect(new Set(seen).size).toBe(200);
		});

		it('stop only when the jobs a stopping loop fetched are done, so the pool ends at once after', async () => {
			await t.sql`delete from pgboss.job where name = 'email-send'`;
			await t.sql.begin((tx) => enqueue(tx, 'email-send', { emailId: 'fetched-while-stopping' }));
			const pool = connect({ url: t.url!, max: 5 });
			const locker = connect({ url: t.url!, max: 1 });
			const { runs, handlers } = recorder();
			let workers: Awaited<ReturnType<typeof startWorkers>> | undefined;
			try {
				// Hold the job table so the workers' first fetch waits: it is in flight when stop() is called.
				const release = new Promise<void>((resolveRelease) => {
					void locker.begin(async (tx) => {
						await tx`lock table pgboss.job in exclusive mode`;
						workers = await startWorkers(pool, handlers, { pollingIntervalSeconds: 0.5 });
						for (let i = 0; i < 100; i++) {
							const [{ n }] = await t.sql<{ n: number }[]>`
								select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`;
							if (n > 0) break;
							await new Promise((r) => setTimeout(r, 50));
						}
						resolveRelease();
						await new Promise((r) => setTimeout(r, 300)); // stop() has begun; then the fetch gets its rows
					});
				});
				await release;
				await workers!.stop();
				// The job the last fetch returned ran and was marked done before stop() returned…
				expect(runs.map((r) => r.data)).toEqual([{ emailId: 'fetched-while-stopping' }]);
				const [job] = await t.sql<{ state: string }[]>`select state from pgboss.job where name = 'email-send'`;
				expect(job.state).toBe('completed');
				// …and nothing is left on the pool: it ends without waiting.
				const ended = await Promise.race([pool.end().then(() => 'ended'), new Promise((r) => setTimeout(() => r('still busy'), 5000))]);
				expect(ended).toBe('ended');
			} finally {
				await pool.end({ timeout: 1 });
				await locker.end({ timeout: 1 });
			}
		});
	});
});
