import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppTestDatabase, type TestDatabase } from '$lib/server/db/test-db';
import { startWorkers } from '$lib/server/jobs';
import { jobHandlers } from '$lib/server/jobs/handlers';
import { builtinLabels } from '$lib/server/labels/provider';
import { startFakeStripe, type FakeStripe } from '$lib/server/refunds/fake-stripe';
import { listReturnRefunds } from '$lib/server/refunds/service';
import { createStripe } from '$lib/server/refunds/stripe';
import { listEvents } from '$lib/server/returns/events';
import { createReturn } from '$lib/server/returns/service';
import { createTestShop, insertTestOrder } from '$lib/server/test-fixtures';
import { POST } from './+server';

/** Stripe's webhook endpoint, called as Stripe calls it: a signed JSON body. */

let t: TestDatabase;
let stripe: FakeStripe;
let shopId: string;
let n = 0;
const saved = { ...process.env };

beforeAll(async () => {
	t = await createAppTestDatabase('w'.repeat(64));
	stripe = await startFakeStripe();
	process.env.STRIPE_SECRET_KEY = stripe.apiKey;
	process.env.STRIPE_API_BASE = stripe.url;
	process.env.STRIPE_WEBHOOK_SECRET = stripe.webhookSecret;
	shopId = (await createTestShop(t.sql, 'stripe-webhooks')).id;
});
afterAll(async () => {
	for (const key of ['STRIPE_SECRET_KEY', 'STRIPE_API_BASE', 'STRIPE_WEBHOOK_SECRET']) {
		if (saved[key] === undefined) delete process.env[key];
		else process.env[key] = saved[key];
	}
	await stripe?.close();
	await t?.close();
});

async function post(payload: string, signature: string | null) {
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	if (signature) headers['stripe-signature'] = signature;
	const response = await (POST as (e: unknown) => Promise<Response>)({
		request: new Request('https://returns.example.com/api/webhooks/stripe', { method: 'POST', headers, body: payload })
	});
	return { status: response.status, body: await response.json() };
}

/** A return refunded on approval, paid through the fake Stripe by the jobs. */
async function refundedReturn(script?: () => void) {
	const payment = stripe.addPayment({ amount: 8900, currency: 'eur' });
	const o = await insertTestOrder(t.sql, shopId, { number: `W${++n}`, paymentIntentId: payment.paymentIntentId, lines: [{ title: 'Casque', quantity: 1, unitPrice: 8900 }] });
	const r = await createReturn(
		t.sql,
		{ shopId, orderId: o.orderId, channel: 'customer', returnMethod: 'label', lines: [{ orderLineId: o.lineIds[0], quantity: 1, reasonCode: 'defective', requestedResolution: 'refund' }] },
		{ kind: 'customer' }
	);
	script?.();
	const workers = await startWorkers(
		t.sql,
		jobHandlers(t.sql, { stripe: createStripe({ secretKey: stripe.apiKey, apiBase: stripe.url }), labels: { builtin: builtinLabels }, smtpUrl: null }),
		{ poll: false }
	);
	await workers.drain();
	await workers.stop();
	const [refund] = await listReturnRefunds(t.sql, shopId, r.id);
	return { returnId: r.id, refund, paymentIntentId: payment.paymentIntentId };
}

describe('POST /api/webhooks/stripe', () => {
	it('applies the same event delivered three times once', async () => {
		const { returnId, refund } = await refundedReturn();
		expect(refund.status).toBe('succeeded');
		// Days later the customer's bank sends the money back: Stripe marks the refund failed.
		const failed = stripe.failRefund(refund.stripeRefundId!, 'expired_or_canceled_card');
		const event = stripe.signedEvent('refund.failed', failed as unknown as Record<string, unknown>);
		const answers = [];
		for (let i = 0; i < 3; i++) answers.push(await post(event.payload, event.signature));
		expect(answers.map((a) => [a.status, a.body.outcome])).toEqual([
			[200, 'applied'],
			[200, 'duplicate'],
			[200, 'duplicate']
		]);
		const [after] = await listReturnRefunds(t.sql, shopId, returnId);
		expect(after).toMatchObject({ status: 'failed', failureCode: 'expired_or_canceled_card' });
		const events = (await listEvents(t.sql, shopId, returnId)).filter((e) => e.type === 'refund.failed');
		expect(events).toHaveLength(1);
		expect(events[0]).toMatchObject({ actorKind: 'system', actorId: 'stripe' });
	});

	it('records a refund whose answer was lost when Stripe tells of it first', async () => {
		// Every answer to the refund call is lost (the SDK retries once): the row stays pending, unknown to Stripe's id.
		const { returnId, refund, paymentIntentId } = await refundedReturn(() => stripe.script('/v1/refunds', { kind: 'drop' }, { kind: 'drop' }));
		expect(refund).toMatchObject({ status: 'pending', stripeRefundId: null });
		const made = stripe.refunds.find((r) => r.payment_intent === paymentIntentId)!;
		const charge = { id: made.charge, object: 'charge', amount: 8900, amount_refunded: 8900, refunded: true, payment_intent: paymentIntentId, refunds: { object: 'list', data: [made] } };
		const event = stripe.signedEvent('charge.refunded', charge);
		expect((await post(event.payload, event.signature)).status).toBe(200);
		const [after] = await listReturnRefunds(t.sql, shopId, returnId);
		expect(after).toMatchObject({ status: 'succeeded', stripeRefundId: made.id });
		const [line] = await t.sql`select resolution_status from return_lines where return_id = ${returnId}`;
		expect(line.resolution_status).toBe('refunded');
	});

	it('refuses an event whose signature does not match, changing nothing', async () => {
		const { returnId, refund } = await refundedReturn();
		const failed = stripe.failRefund(refund.stripeRefundId!);
		const event = stripe.signedEvent('refund.failed', failed as unknown as Record<string, unknown>);
		const tampered = event.payload.replace('"failed"', '"succeeded"');
		const forged = await post(tampered, event.signature);
		expect(forged.status).toBe(400);
		expect(forged.body.error).toMatchObject({ code: 'invalid_signature' });
		expect((await post(event.payload, null)).body.error.message).toMatch(/Stripe-Signature header is missing/);
		const [after] = await listReturnRefunds(t.sql, shopId, returnId);
		expect(after.status).toBe('succeeded');
		const [{ count }] = await t.sql`select count(*)::int as count from stripe_events where id = ${event.eventId}`;
		expect(count).toBe(0);
	});

	it('acknowledges events it has no use for', async () => {
		const event = stripe.signedEvent('customer.created', { id: 'cus_123', object: 'customer' });
		expect(await post(event.payload, event.signature)).toEqual({ status: 200, body: { received: true, outcome: 'ignored' } });
	});
});
