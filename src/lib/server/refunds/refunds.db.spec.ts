import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../db/connect';
import { createTestDatabase, realPostgres, type TestDatabase } from '../db/test-db';
import { jobHandlers } from '../jobs/handlers';
import { startWorkers, type Workers } from '../jobs';
import { builtinLabels } from '../labels/provider';
import { listEvents } from '../returns/events';
import { createReturn, transitionReturn } from '../returns/service';
import { createTestShop, insertTestOrder } from '../test-fixtures';
import { startFakeStripe, type FakeStripe } from './fake-stripe';
import { getRefund, listReturnRefunds, processRefund, recordManualRefund, retryRefund } from './service';
import { createStripe } from './stripe';

let t: TestDatabase;
let stripe: FakeStripe;
let shopId: string;
let workers: Workers | undefined;
let n = 0;
const customer = { kind: 'customer' as const, id: 'c1' };
const staff = { kind: 'staff' as const, id: 'u1' };

beforeAll(async () => {
	t = await createTestDatabase();
	stripe = await startFakeStripe();
	shopId = (await createTestShop(t.sql)).id;
});
afterEach(async () => {
	await workers?.stop();
	workers = undefined;
});
afterAll(async () => {
	await stripe?.close();
	await t?.close();
});

function client(timeoutMs = 2000) {
	return createStripe({ secretKey: stripe.apiKey, apiBase: stripe.url, timeoutMs });
}

async function work(sql = t.sql, timeoutMs = 2000) {
	workers = await startWorkers(sql, jobHandlers(sql, { stripe: client(timeoutMs), labels: { builtin: builtinLabels }, smtpUrl: null }), { poll: false });
	return workers;
}

/** Makes the queue's waiting retries due now, as time passing would. */
const retriesDue = () => t.sql`update pgboss.job set start_after = now() - interval '1 second' where state = 'retry'`;

/** A paid order, and a return for a defective item: the default policy refunds those on approval. */
async function acceptedReturn(options: { autoAccept?: boolean } = {}) {
	const number = `R${++n}`;
	const payment = stripe.addPayment({ amount: 10_400, currency: 'eur' });
	const o = await insertTestOrder(t.sql, shopId, {
		number,
		paymentIntentId: payment.paymentIntentId,
		lines: [
			{ title: 'Casque sans fil', quantity: 1, unitPrice: 8900 },
			{ title: 'Câble USB-C', quantity: 1, unitPrice: 1500 }
		]
	});
	const r = await createReturn(
		t.sql,
		{
			shopId,
			orderId: o.orderId,
			channel: 'customer',
			autoAccept: options.autoAccept,
			returnMethod: 'label',
			lines: [{ orderLineId: o.lineIds[0], quantity: 1, reasonCode: 'defective', requestedResolution: 'refund' }]
		},
		customer
	);
	return { ...r, paymentIntentId: payment.paymentIntentId };
}

const refundsAt = (pi: string) => stripe.refunds.filter((r) => r.payment_intent === pi);
const posts = (pi: string) => stripe.requests.filter((q) => q.method === 'POST' && q.path === '/v1/refunds' && (q.body as { payment_intent?: string }).payment_intent === pi);

describe('refunds through Stripe', () => {
	it('pays an accepted return once, with an idempotency key and metadata from its row, and tells the customer', async () => {
		const r = await acceptedReturn();
		expect(r.decisionStatus).toBe('accepted');
		const [pending] = await listReturnRefunds(t.sql, shopId, r.id);
		expect(pending).toMatchObject({ status: 'pending', method: 'stripe', amount: 8900, currency: 'EUR' });

		await (await work()).drain();
		expect(refundsAt(r.paymentIntentId)).toHaveLength(1);
		const [call] = posts(r.paymentIntentId);
		expect(call.idempotencyKey).toBe(`retour-refund-${pending.id}`);
		expect(call.body).toMatchObject({ amount: '8900', metadata: { retour_refund_id: pending.id, retour_return_id: r.id } });
		const done = await getRefund(t.sql, shopId, pending.id);
		expect(done).toMatchObject({ status: 'succeeded', stripeRefundId: refundsAt(r.paymentIntentId)[0].id, attempts: 1 });
		const [line] = await t.sql`select resolution_status from return_lines where return_id = ${r.id}`;
		expect(line.resolution_status).toBe('refunded');
		const types = (await listEvents(t.sql, shopId, r.id)).map((e) => e.type);
		expect(types.filter((x) => x.startsWith('refund.'))).toEqual(['refund.requested', 'refund.succeeded']);
		const emails = await t.sql`select kind, subject from emails where return_id = ${r.id} order by created_at`;
		expect(emails.map((e) => e.kind).sort()).toEqual(['refund_issued', 'return_accepted']);

		// The job run again, or the service called again, pays nothing more.
		expect(await processRefund(t.sql, client(), { refundId: pending.id, lastAttempt: false })).toBe('succeeded');
		await workers!.drain();
		expect(posts(r.paymentIntentId)).toHaveLength(1);
	});

	it('finds the refund Stripe made when its answer was lost, and never pays twice', async () => {
		const r = await acceptedReturn();
		// Stripe makes the refund, then the connection drops (twice: the SDK retries a reset connection once).
		stripe.script('/v1/refunds', { kind: 'drop' }, { kind: 'drop' });
		const w = await work();
		await w.drain();
		const [refund] = await listReturnRefunds(t.sql, shopId, r.id);
		expect(refund).toMatchObject({ status: 'pending', stripeRefundId: null, attempts: 1, failureCode: 'stripe_unreachable' });
		expect(refundsAt(r.paymentIntentId)).toHaveLength(1);

		await retriesDue();
		await w.drain();
		expect(refundsAt(r.paymentIntentId)).toHaveLength(1);
		expect(posts(r.paymentIntentId)).toHaveLength(2); // the first call and the SDK's own retry, both before the answer was lost
		expect(await getRefund(t.sql, shopId, refund.id)).toMatchObject({ status: 'succeeded', stripeRefundId: refundsAt(r.paymentIntentId)[0].id });
	});

	it('retries when Stripe times out, with the same key, and records the refund once', async () => {
		const r = await acceptedReturn();
		stripe.script('/v1/refunds', { kind: 'slow', ms: 1500 });
		const w = await work(t.sql, 300);
		await w.drain();
		const [refund] = await listReturnRefunds(t.sql, shopId, r.id);
		expect(refund.status).toBe('pending');
		await new Promise((resolve) => setTimeout(resolve, 1500)); // Stripe finishes the slow call meanwhile
		await retriesDue();
		await w.drain();
		expect(refundsAt(r.paymentIntentId)).toHaveLength(1);
		expect(await getRefund(t.sql, shopId, refund.id)).toMatchObject({ status: 'succeeded' });
	});

	it('retries a Stripe 500 with a new key after checking that no refund was made, then pays once', async () => {
		const r = await acceptedReturn();
		stripe.script('/v1/refunds', { kind: 'error', status: 500 }, { kind: 'error', status: 500 });
		const w = await work();
		await w.drain();
		await retriesDue();
		await w.drain();
		await retriesDue();
		await w.drain();
		const [refund] = await listReturnRefunds(t.sql, shopId, r.id);
		expect(refund.status).toBe('succeeded');
		expect(refundsAt(r.paymentIntentId)).toHaveLength(1);
		const keys = posts(r.paymentIntentId).map((p) => p.idempotencyKey);
		expect(keys).toEqual([`retour-refund-${refund.id}`, `retour-refund-${refund.id}-1`, `retour-refund-${refund.id}-2`]);
		// before each new key, Stripe was asked for a refund carrying the row's id
		expect(stripe.requests.filter((q) => q.method === 'GET' && q.path === '/v1/refunds' && q.query.payment_intent === r.paymentIntentId)).toHaveLength(2);
	});

	it('shows a refund Stripe keeps failing as failed for staff, who can retry it without paying twice', async () => {
		const r = await acceptedReturn();
		const errors = Array.from({ length: 9 }, () => ({ kind: 'error' as const, status: 503 as const }));
		stripe.script('/v1/refunds', ...errors);
		const w = await work();
		for (let i = 0; i < 12; i++) {
			await w.drain();
			await retriesDue();
		}
		const [refund] = await listReturnRefunds(t.sql, shopId, r.id);
		expect(refund).toMatchObject({ status: 'failed', attempts: 9 });
		expect(refund.failureMessage).toMatch(/Stripe did not complete the refund after several attempts/);
		expect(refundsAt(r.paymentIntentId)).toHaveLength(0);
		const [line] = await t.sql`select resolution_status from return_lines where return_id = ${r.id}`;
		expect(line.resolution_status).toBe('failed');
		expect((await listEvents(t.sql, shopId, r.id)).some((e) => e.type === 'refund.failed')).toBe(true);

		await retryRefund(t.sql, shopId, refund.id, staff);
		await w.drain();
		expect(await getRefund(t.sql, shopId, refund.id)).toMatchObject({ status: 'succeeded' });
		expect(refundsAt(r.paymentIntentId)).toHaveLength(1);
		const events = await listEvents(t.sql, shopId, r.id);
		expect(events.find((e) => e.type === 'refund.retried')).toMatchObject({ actorKind: 'staff', actorId: 'u1' });
	});

	it('records a refusal from Stripe as final, with its message, without retrying', async () => {
		const r = await acceptedReturn();
		// Someone refunded the whole payment in Stripe's dashboard meanwhile.
		await client().refunds.create({ payment_intent: r.paymentIntentId });
		const w = await work();
		await w.drain();
		const [refund] = await listReturnRefunds(t.sql, shopId, r.id);
		expect(refund).toMatchObject({ status: 'failed', failureCode: 'charge_already_refunded', attempts: 1 });
		expect(refund.failureMessage).toMatch(/already been refunded/);
		await retriesDue();
		await w.drain();
		expect(posts(r.paymentIntentId)).toHaveLength(2); // the dashboard's and ours: no retry
	});

	it('leaves a refund for an order paid outside Stripe to staff, and without STRIPE_SECRET_KEY says so', async () => {
		const o = await insertTestOrder(t.sql, shopId, { number: `M${++n}`, lines: [{ title: 'Pull', quantity: 1, unitPrice: 5000 }] });
		const r = await createReturn(
			t.sql,
			{ shopId, orderId: o.orderId, channel: 'customer', returnMethod: 'label', lines: [{ orderLineId: o.lineIds[0], quantity: 1, reasonCode: 'defective', requestedResolution: 'refund' }] },
			customer
		);
		const [manual] = await listReturnRefunds(t.sql, shopId, r.id);
		expect(manual).toMatchObject({ method: 'manual', status: 'pending', amount: 5000 });
		const jobs = await t.sql`select 1 from pgboss.job where name = 'refund-send' and data->>'refundId' = ${manual.id}`;
		expect(jobs).toHaveLength(0); // nothing for Stripe to do
		await recordManualRefund(t.sql, shopId, manual.id, 'Bank transfer 12/11', staff);
		expect(await getRefund(t.sql, shopId, manual.id)).toMatchObject({ status: 'succeeded' });
		const recorded = (await listEvents(t.sql, shopId, r.id)).find((e) => e.type === 'refund.recorded');
		expect(recorded).toMatchObject({ actorKind: 'staff', payload: { note: 'Bank transfer 12/11', amount: 5000 } });

		const paid = await acceptedReturn();
		const [refund] = await listReturnRefunds(t.sql, shopId, paid.id);
		expect(await processRefund(t.sql, null, { refundId: refund.id, lastAttempt: false })).toBe('failed');
		expect(await getRefund(t.sql, shopId, refund.id)).toMatchObject({ status: 'failed', failureCode: 'stripe_not_configured' });
	});

	describe.runIf(realPostgres)('on PostgreSQL, with several connections', () => {
		it('makes one refund when two staff accept the same return at the same moment', async () => {
			const r = await acceptedReturn({ autoAccept: false });
			expect(r.decisionStatus).toBe('pending');
			const a = connect({ url: t.url!, max: 2 });
			const b = connect({ url: t.url!, max: 2 });
			try {
				const results = await Promise.allSettled([
					transitionReturn(a, { shopId, returnId: r.id, machine: 'decision', to: 'accepted' }, { kind: 'staff', id: 'alice' }),
					transitionReturn(b, { shopId, returnId: r.id, machine: 'decision', to: 'accepted' }, { kind: 'staff', id: 'bob' })
				]);
				expect(results.filter((x) => x.status === 'fulfilled')).toHaveLength(1);
				expect(results.find((x) => x.status === 'rejected')).toMatchObject({ reason: { code: 'invalid_transition' } });
			} finally {
				await a.end();
				await b.end();
			}
			expect(await listReturnRefunds(t.sql, shopId, r.id)).toHaveLength(1);
			await (await work()).drain();
			expect(refundsAt(r.paymentIntentId)).toHaveLength(1);
		});

		it('pays each of many refunds once when two app instances work the same queue', async () => {
			const returns = [];
			for (let i = 0; i < 20; i++) returns.push(await acceptedReturn());
			const other = connect({ url: t.url!, max: 5 });
			const deps = { stripe: client(), labels: { builtin: builtinLabels }, smtpUrl: null };
			const one = await startWorkers(t.sql, jobHandlers(t.sql, deps), { pollingIntervalSeconds: 0.5 });
			const two = await startWorkers(other, jobHandlers(other, deps), { pollingIntervalSeconds: 0.5 });
			try {
				const until = Date.now() + 20_000;
				while (Date.now() < until) {
					const [{ left }] = await t.sql<{ left: number }[]>`
						select count(*)::int as left from refunds where return_id in ${t.sql(returns.map((r) => r.id))} and status <> 'succeeded'`;
					if (left === 0) break;
					await retriesDue(); // a Stripe call that timed out on a busy machine is retried now, not in a minute
					await new Promise((resolve) => setTimeout(resolve, 100));
				}
			} finally {
				await one.stop();
				await two.stop();
				await other.end();
			}
			for (const r of returns) expect(refundsAt(r.paymentIntentId)).toHaveLength(1);
			const [{ succeeded }] = await t.sql<{ succeeded: number }[]>`
				select count(*)::int as succeeded from refunds where return_id in ${t.sql(returns.map((r) => r.id))} and status = 'succeeded'`;
			expect(succeeded).toBe(20);
		}, 60_000);
	});
});
