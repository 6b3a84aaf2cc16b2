import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, realPostgres, type TestDatabase } from '../db/test-db';
import { enqueue, QUEUE_NAMES, startWorkers, type JobHandlers } from '../jobs';
import { jobHandlers } from '../jobs/handlers';
import { builtinLabels } from '../labels/provider';
import { listEvents } from '../returns/events';
import { createReturn } from '../returns/service';
import { createTestShop, insertTestOrder } from '../test-fixtures';
import { startFakeStripe, type FakeStripe } from './fake-stripe';
import { listReturnRefunds } from './service';
import { createStripe } from './stripe';

/**
 * Exactly once across a crash: a worker process is killed after Stripe made the refund and before the database
 * heard of it. After the restart, the refund is found (by its metadata), recorded, and never paid again.
 * Another process on the same database is needed, so this runs on PostgreSQL.
 */

let t: TestDatabase;
let stripe: FakeStripe;
let child: ChildProcess | undefined;

beforeAll(async () => {
	if (!realPostgres) return;
	t = await createTestDatabase();
	stripe = await startFakeStripe();
});
afterAll(async () => {
	child?.kill('SIGKILL');
	await stripe?.close();
	await t?.close();
});

function startWorkerProcess(): Promise<ChildProcess> {
	const proc = spawn(process.execPath, ['scripts/test-worker.js'], {
		env: {
			...process.env,
			DATABASE_URL: t.url,
			STRIPE_SECRET_KEY: stripe.apiKey,
			STRIPE_API_BASE: stripe.url,
			LOG_LEVEL: 'error'
		},
		stdio: ['ignore', 'pipe', 'inherit']
	});
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error('the worker process did not start in 60 s')), 60_000);
		proc.stdout!.on('data', (chunk: Buffer) => {
			if (chunk.toString().includes('ready')) {
				clearTimeout(timer);
				resolve(proc);
			}
		});
		proc.on('exit', (code) => reject(new Error(`the worker process exited (${code}) before it was ready`)));
	});
}

async function until(check: () => Promise<boolean> | boolean, what: string, ms = 20_000) {
	const end = Date.now() + ms;
	while (!(await check())) {
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

describe.runIf(realPostgres)('a worker killed between the Stripe call and the commit', () => {
	it('reconciles the refund after a restart: paid once, recorded once', async () => {
		const shopId = (await createTestShop(t.sql, 'crash')).id;
		const payment = stripe.addPayment({ amount: 8900, currency: 'eur' });
		const o = await insertTestOrder(t.sql, shopId, { number: 'K1', paymentIntentId: payment.paymentIntentId, lines: [{ title: 'Casque', quantity: 1, unitPrice: 8900 }] });
		// Stripe makes the refund at once but answers only after 30 s: the process dies before it hears back.
		stripe.script('/v1/refunds', { kind: 'slow', ms: 30_000 });
		child = await startWorkerProcess();
		const r = await createReturn(
			t.sql,
			{ shopId, orderId: o.orderId, channel: 'customer', returnMethod: 'label', lines: [{ orderLineId: o.lineIds[0], quantity: 1, reasonCode: 'defective', requestedResolution: 'refund' }] },
			{ kind: 'customer' }
		);
		const made = () => stripe.refunds.filter((x) => x.payment_intent === payment.paymentIntentId);
		await until(() => made().length === 1, 'the worker process to call Stripe');
		child.kill('SIGKILL');
		await new Promise((resolve) => child!.once('exit', resolve));
		child = undefined;

		const [lost] = await listReturnRefunds(t.sql, shopId, r.id);
		expect(lost).toMatchObject({ status: 'pending', stripeRefundId: null, attempts: 1 });
		const [job] = await t.sql`select state from pgboss.job where name = 'refund-send' and data->>'refundId' = ${lost.id}`;
		expect(job.state).toBe('active'); // taken by the dead process

		// Restart. The job's expiry passes (simulated: its start is moved back) and the queue gives it out again.
		await t.sql`update pgboss.job set started_on = now() - interval '1 hour' where state = 'active'`;
		const workers = await startWorkers(
			t.sql,
			jobHandlers(t.sql, { stripe: createStripe({ secretKey: stripe.apiKey, apiBase: stripe.url, timeoutMs: 2000 }), labels: { builtin: builtinLabels }, smtpUrl: null }),
			{ poll: false }
		);
		try {
			await workers.expireLost();
			await t.sql`update pgboss.job set start_after = now() where state = 'retry'`;
			await workers.drain();
		} finally {
			await workers.stop();
		}
		const [after] = await listReturnRefunds(t.sql, shopId, r.id);
		expect(after).toMatchObject({ status: 'succeeded', stripeRefundId: made()[0].id, attempts: 1 });
		expect(made()).toHaveLength(1);
		// Only the dead process ever asked Stripe for a refund; the restart found it by the row's id.
		expect(stripe.requests.filter((q) => q.method === 'POST' && q.path === '/v1/refunds')).toHaveLength(1);
		expect((await listEvents(t.sql, shopId, r.id)).filter((e) => e.type === 'refund.succeeded')).toHaveLength(1);
		const emails = await t.sql`select 1 from emails where return_id = ${r.id} and kind = 'refund_issued'`;
		expect(emails).toHaveLength(1);
	}, 120_000);
});

describe('one process on its database', () => {
	it('runs a job left active by a process that died at once when it starts again', async () => {
		const db = await createTestDatabase();
		try {
			await db.sql.begin((tx) => enqueue(tx, 'email-send', { emailId: 'left-behind' }));
			// The process took the job, then died.
			await db.sql`update pgboss.job set state = 'active', started_on = now() where name = 'email-send'`;
			const ran: string[] = [];
			const record = async (job: { data: unknown }) => void ran.push((job.data as { emailId: string }).emailId);
			const handlers = Object.fromEntries(QUEUE_NAMES.map((name) => [name, record])) as unknown as JobHandlers;
			const again = await startWorkers(db.sql, handlers, { poll: false, recoverAbandoned: true });
			try {
				await again.drain();
			} finally {
				await again.stop();
			}
			expect(ran).toEqual(['left-behind']);
		} finally {
			await db.close();
		}
	});
});
