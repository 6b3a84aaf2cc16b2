import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseForm, startFakeStripe, type FakeStripe } from './fake-stripe';

const OPENAPI_DIR = resolve(process.cwd(), '../shared/stripe-openapi');
const SPEC_FILE = resolve(OPENAPI_DIR, 'spec3.2022-04-12.json');

let fake: FakeStripe;

function sdk(options: { timeout?: number; key?: string } = {}) {
	return new Stripe(options.key ?? fake.apiKey, {
		host: fake.host,
		port: fake.port,
		protocol: 'http',
		maxNetworkRetries: 0,
		telemetry: false,
		timeout: options.timeout ?? 5_000
	});
}

/** The rejection of `promise`, for asserting on its class and fields. */
async function failureOf(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
	try {
		await promise;
	} catch (error) {
		return error as Stripe.errors.StripeError;
	}
	throw new Error('expected the call to fail');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const posts = (path: string) => fake.requests.filter((r) => r.method === 'POST' && r.path === path);

beforeEach(async () => {
	fake = await startFakeStripe();
});
afterEach(async () => {
	await fake.close();
});

describe('refunds', () => {
	it('creates, retrieves and lists refunds of a PaymentIntent with their metadata', async () => {
		const stripe = sdk();
		const { paymentIntentId, chargeId } = fake.addPayment({ amount: 5000, currency: 'EUR' });
		const other = fake.addPayment({ amount: 700, currency: 'eur' });

		const first = await stripe.refunds.create({ payment_intent: paymentIntentId, amount: 1200, reason: 'requested_by_customer', metadata: { retour_refund_id: 'rf_1' } });
		expect(first).toMatchObject({
			object: 'refund',
			amount: 1200,
			currency: 'eur',
			status: 'succeeded',
			payment_intent: paymentIntentId,
			charge: chargeId,
			reason: 'requested_by_customer',
			metadata: { retour_refund_id: 'rf_1' }
		});
		expect(first.id).toMatch(/^re_/);
		expect(Number.isInteger(first.created)).toBe(true);
		expect(fake.requests[0].body).toEqual({ payment_intent: paymentIntentId, amount: '1200', reason: 'requested_by_customer', metadata: { retour_refund_id: 'rf_1' } });

		// Without an amount, Stripe refunds what remains.
		const second = await stripe.refunds.create({ payment_intent: paymentIntentId, metadata: { retour_refund_id: 'rf_2' } });
		expect(second.amount).toBe(3800);
		await stripe.refunds.create({ charge: other.chargeId });

		expect((await stripe.refunds.retrieve(first.id)).metadata).toEqual({ retour_refund_id: 'rf_1' });
		const listed = await stripe.refunds.list({ payment_intent: paymentIntentId });
		expect(listed.object).toBe('list');
		expect(listed.has_more).toBe(false);
		expect(listed.data.map((r) => r.id)).toEqual([second.id, first.id]);
		expect(listed.data.find((r) => r.metadata?.retour_refund_id === 'rf_1')?.id).toBe(first.id);
		expect((await stripe.charges.retrieve(chargeId)).amount_refunded).toBe(5000);
	});

	it('pages lists newest first with has_more and starting_after', async () => {
		const stripe = sdk();
		const { paymentIntentId } = fake.addPayment({ amount: 900, currency: 'usd' });
		const made = [];
		for (let i = 0; i < 3; i++) made.push(await stripe.refunds.create({ payment_intent: paymentIntentId, amount: 100 }));

		const page1 = await stripe.refunds.list({ payment_intent: paymentIntentId, limit: 2 });
		expect(page1.data.map((r) => r.id)).toEqual([made[2].id, made[1].id]);
		expect(page1.has_more).toBe(true);
		const page2 = await stripe.refunds.list({ payment_intent: paymentIntentId, limit: 2, starting_after: page1.data[1].id });
		expect(page2.data.map((r) => r.id)).toEqual([made[0].id]);
		expect(page2.has_more).toBe(false);
		const all = await stripe.refunds.list({ payment_intent: paymentIntentId, limit: 1 }).autoPagingToArray({ limit: 10 });
		expect(all.map((r) => r.id)).toEqual([made[2].id, made[1].id, made[0].id]);
	});

	it('refuses over-refunds, refunds of refunded charges, unknown payments and amounts below 1 as Stripe does', async () => {
		const stripe = sdk();
		const { paymentIntentId, chargeId } = fake.addPayment({ amount: 2145, currency: 'usd' });
		await stripe.refunds.create({ payment_intent: paymentIntentId, amount: 1000 });

		const over = await failureOf(stripe.refunds.create({ payment_intent: paymentIntentId, amount: 2500 }));
		expect(over).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
		expect(over.statusCode).toBe(400);
		expect(over.param).toBe('amount');
		expect(over.message).toBe('Refund amount ($25.00) is greater than unrefunded amount on charge ($11.45)');

		await stripe.refunds.create({ charge: chargeId });
		const again = await failureOf(stripe.refunds.create({ payment_intent: paymentIntentId }));
		expect(again).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
		expect(again.code).toBe('charge_already_refunded');

		const unknown = await failureOf(stripe.refunds.create({ payment_intent: 'pi_nope', amount: 100 }));
		expect(unknown).toMatchObject({ statusCode: 400, code: 'resource_missing', param: 'payment_intent', message: "No such payment_intent: 'pi_nope'" });

		const zero = await failureOf(stripe.refunds.create({ payment_intent: paymentIntentId, amount: 0 }));
		expect(zero).toMatchObject({ statusCode: 400, code: 'parameter_invalid_integer', param: 'amount' });

		const missing = await failureOf(stripe.refunds.retrieve('re_nope'));
		expect(missing).toMatchObject({ statusCode: 404, code: 'resource_missing' });
		expect(fake.refunds).toHaveLength(2);
	});

	it('marks a refund failed later, as a bank would, and makes its amount refundable again', async () => {
		const stripe = sdk();
		const { paymentIntentId, chargeId } = fake.addPayment({ amount: 1000, currency: 'eur' });
		const refund = await stripe.refunds.create({ payment_intent: paymentIntentId });

		const failed = fake.failRefund(refund.id, 'lost_or_stolen_card');
		expect(failed).toMatchObject({ id: refund.id, status: 'failed', failure_reason: 'lost_or_stolen_card' });
		expect(await stripe.refunds.retrieve(refund.id)).toMatchObject({ status: 'failed', failure_reason: 'lost_or_stolen_card' });
		expect((await stripe.charges.retrieve(chargeId)).amount_refunded).toBe(0);
		expect(() => fake.failRefund(refund.id)).toThrow(/failed/);
	});
});

describe('idempotency', () => {
	it('replays the first result for the same key and parameters, making one refund', async () => {
		const stripe = sdk();
		const { paymentIntentId } = fake.addPayment({ amount: 5000, currency: 'eur' });
		const params = { payment_intent: paymentIntentId, amount: 1500, metadata: { retour_refund_id: 'rf_1' } };

		const first = await stripe.refunds.create(params, { idempotencyKey: 'refund-rf_1' });
		const second = await stripe.refunds.create(params, { idempotencyKey: 'refund-rf_1' });
		expect(second.id).toBe(first.id);
		expect(fake.refunds).toHaveLength(1);
		expect(second.lastResponse.headers['idempotent-replayed']).toBe('true');
		expect(first.lastResponse.headers['idempotent-replayed']).toBeUndefined();
		expect(posts('/v1/refunds').map((r) => [r.idempotencyKey, r.status, r.replayed])).toEqual([
			['refund-rf_1', 200, false],
			['refund-rf_1', 200, true]
		]);
	});

	it('scopes keys to the API key that used them', async () => {
		fake.addPayment({ amount: 100, currency: 'usd', id: 'pi_scoped' });
		await sdk().refunds.create({ payment_intent: 'pi_scoped', amount: 50 }, { idempotencyKey: 'k' });
		const stranger = await failureOf(sdk({ key: 'sk_test_someone_else_entirely' }).refunds.create({ payment_intent: 'pi_scoped', amount: 50 }, { idempotencyKey: 'k' }));
		expect(stranger).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
		expect(stranger.statusCode).toBe(401);
	});

	it('refuses the same key with other parameters or on another endpoint (idempotency_error)', async () => {
		const stripe = sdk();
		const { paymentIntentId } = fake.addPayment({ amount: 5000, currency: 'eur' });
		await stripe.refunds.create({ payment_intent: paymentIntentId, amount: 1500 }, { idempotencyKey: 'k1' });

		const otherAmount = await failureOf(stripe.refunds.create({ payment_intent: paymentIntentId, amount: 1600 }, { idempotencyKey: 'k1' }));
		expect(otherAmount).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
		expect(otherAmount.statusCode).toBe(400);
		expect(otherAmount.type).toBe('StripeIdempotencyError');
		expect(otherAmount.message).toMatch(/can only be used with the same parameters/);

		const otherEndpoint = await failureOf(
			stripe.checkout.sessions.create(
				{ mode: 'payment', success_url: 'http://shop.test/ok', line_items: [{ quantity: 1, price_data: { currency: 'eur', unit_amount: 100, product_data: { name: 'Label' } } }] },
				{ idempotencyKey: 'k1' }
			)
		);
		expect(otherEndpoint).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
		expect(fake.refunds).toHaveLength(1);
	});

	it('does not save results of requests that fail parameter validation', async () => {
		const stripe = sdk();
		const { paymentIntentId } = fake.addPayment({ amount: 5000, currency: 'eur' });
		const zero = await failureOf(stripe.refunds.create({ payment_intent: paymentIntentId, amount: 0 }, { idempotencyKey: 'k2' }));
		expect(zero.code).toBe('parameter_invalid_integer');
		const fixed = await stripe.refunds.create({ payment_intent: paymentIntentId, amount: 100 }, { idempotencyKey: 'k2' });
		expect(fixed.amount).toBe(100);
		expect(fixed.lastResponse.headers['idempotent-replayed']).toBeUndefined();
	});

	it('saves a scripted 500 under its key: the replay is the same 500 and no refund is made', async () => {
		const stripe = sdk();
		const { paymentIntentId } = fake.addPayment({ amount: 5000, currency: 'eur' });
		fake.script('/v1/refunds', { kind: 'error', status: 500 });
		const params = { payment_intent: paymentIntentId, amount: 1500 };

		const first = await failureOf(stripe.refunds.create(params, { idempotencyKey: 'k500' }));
		expect(first).toBeInstanceOf(Stripe.errors.StripeAPIError);
		expect(first.statusCode).toBe(500);
		const replay = await failureOf(stripe.refunds.create(params, { idempotencyKey: 'k500' }));
		expect(replay).toBeInstanceOf(Stripe.errors.StripeAPIError);
		expect(replay.statusCode).toBe(500);
		expect(replay.message).toBe(first.message);
		expect(replay.headers?.['idempotent-replayed']).toBe('true');
		expect(fake.refunds).toHaveLength(0);

		// A new key executes.
		await stripe.refunds.create(params, { idempotencyKey: 'k500-2' });
		expect(fake.refunds).toHaveLength(1);
	});

	it('slow: the client times out though the refund exists; the key is in use until Stripe answers, then replays', async () => {
		const { paymentIntentId } = fake.addPayment({ amount: 5000, currency: 'eur' });
		fake.script('/v1/refunds', { kind: 'slow', ms: 600 });
		const params = { payment_intent: paymentIntentId, amount: 1500, metadata: { retour_refund_id: 'rf_slow' } };

		const timedOut = await failureOf(sdk({ timeout: 200 }).refunds.create(params, { idempotencyKey: 'kslow' }));
		expect(timedOut).toBeInstanceOf(Stripe.errors.StripeConnectionError);
		expect(timedOut.message).toMatch(/timeout/);
		expect(fake.refunds).toHaveLength(1);

		const stripe = sdk();
		const found = (await stripe.refunds.list({ payment_intent: paymentIntentId })).data.find((r) => r.metadata?.retour_refund_id === 'rf_slow');
		expect(found?.id).toBe(fake.refunds[0].id);

		const inUse = await failureOf(stripe.refunds.create(params, { idempotencyKey: 'kslow' }));
		expect(inUse.statusCode).toBe(409);
		expect(inUse.code).toBe('idempotency_key_in_use');

		await sleep(700);
		const replayed = await stripe.refunds.create(params, { idempotencyKey: 'kslow' });
		expect(replayed.id).toBe(found?.id);
		expect(replayed.lastResponse.headers['idempotent-replayed']).toBe('true');
		expect(fake.refunds).toHaveLength(1);
	});

	it('drop: the SDK retries one closed connection with the same key, so one drop is replayed and two are a connection error', async () => {
		const stripe = sdk();
		const { paymentIntentId } = fake.addPayment({ amount: 5000, currency: 'eur' });
		const params = { payment_intent: paymentIntentId, amount: 1000, metadata: { retour_refund_id: 'rf_drop' } };

		fake.script('/v1/refunds', { kind: 'drop' });
		const survived = await stripe.refunds.create(params, { idempotencyKey: 'kdrop1' });
		expect(survived.lastResponse.headers['idempotent-replayed']).toBe('true');
		expect(posts('/v1/refunds').map((r) => r.fate)).toEqual(['drop', null]);

		fake.script('/v1/refunds', { kind: 'drop' }, { kind: 'drop' });
		const lost = await failureOf(stripe.refunds.create({ ...params, metadata: { retour_refund_id: 'rf_drop2' } }, { idempotencyKey: 'kdrop2' }));
		expect(lost).toBeInstanceOf(Stripe.errors.StripeConnectionError);
		expect(fake.refunds).toHaveLength(2);
		const listed = await stripe.refunds.list({ payment_intent: paymentIntentId });
		const made = listed.data.find((r) => r.metadata?.retour_refund_id === 'rf_drop2');
		expect(made).toBeDefined();

		const replayed = await stripe.refunds.create({ ...params, metadata: { retour_refund_id: 'rf_drop2' } }, { idempotencyKey: 'kdrop2' });
		expect(replayed.id).toBe(made?.id);
		expect(fake.refunds).toHaveLength(2);
	});
});

describe('authentication and routing', () => {
	it('answers a wrong key with 401 and an unknown URL with Stripe’s 404', async () => {
		const wrong = await failureOf(sdk({ key: 'sk_test_wrong_key_123456' }).refunds.list());
		expect(wrong).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
		expect(wrong.message).toMatch(/^Invalid API Key provided: sk_test_\*+3456$/);

		const res = await fetch(`${fake.url}/v1/nothing_here`, { headers: { authorization: `Bearer ${fake.apiKey}` } });
		expect(res.status).toBe(404);
		expect(await res.json()).toEqual({ error: { type: 'invalid_request_error', message: expect.stringMatching(/^Unrecognized request URL \(GET: \/v1\/nothing_here\)/) } });
	});
});

describe('checkout sessions', () => {
	const sessionParams = (overrides: Partial<Stripe.Checkout.SessionCreateParams> = {}): Stripe.Checkout.SessionCreateParams => ({
		mode: 'payment',
		line_items: [{ quantity: 2, price_data: { currency: 'EUR', unit_amount: 495, product_data: { name: 'Return label <DHL>' } } }],
		success_url: 'http://shop.test/paid?session={CHECKOUT_SESSION_ID}',
		cancel_url: 'http://shop.test/cancelled',
		customer_email: 'ana@example.com',
		client_reference_id: 'rma_42',
		metadata: { rma_id: 'rma_42' },
		payment_intent_data: { metadata: { rma_id: 'rma_42' } },
		...overrides
	});

	it('creates an open unpaid session, completes it, and shows it paid with a PaymentIntent', async () => {
		const stripe = sdk();
		const created = await stripe.checkout.sessions.create(sessionParams());
		expect(created).toMatchObject({
			object: 'checkout.session',
			status: 'open',
			payment_status: 'unpaid',
			payment_intent: null,
			amount_total: 990,
			currency: 'eur',
			client_reference_id: 'rma_42',
			metadata: { rma_id: 'rma_42' },
			url: `${fake.url}/checkout/${created.id}`
		});
		expect(created.id).toMatch(/^cs_test_/);

		fake.completeCheckoutSession(created.id);
		const paid = await stripe.checkout.sessions.retrieve(created.id);
		expect(paid).toMatchObject({ status: 'complete', payment_status: 'paid' });
		expect(paid.payment_intent).toMatch(/^pi_/);
		const intent = await stripe.paymentIntents.retrieve(paid.payment_intent as string);
		expect(intent).toMatchObject({ object: 'payment_intent', status: 'succeeded', amount: 990, currency: 'eur', metadata: { rma_id: 'rma_42' } });

		// The payment can be refunded like any other.
		const refund = await stripe.refunds.create({ payment_intent: intent.id, amount: 495 });
		expect(refund.charge).toBe(intent.latest_charge);
		expect(() => fake.completeCheckoutSession(created.id)).toThrow(/complete/);
	});

	it('serves a checkout page whose Pay button completes the session and redirects to success_url', async () => {
		const stripe = sdk();
		const session = await stripe.checkout.sessions.create(sessionParams());
		const pageHtml = await (await fetch(session.url as string)).text();
		expect(pageHtml).toContain(`<form method="post" action="/checkout/${session.id}/pay">`);
		expect(pageHtml).toContain('Return label &#60;DHL&#62; × 2');

		const paid = await fetch(`${fake.url}/checkout/${session.id}/pay`, { method: 'POST', redirect: 'manual' });
		expect(paid.status).toBe(303);
		expect(paid.headers.get('location')).toBe(`http://shop.test/paid?session=${session.id}`);
		expect((await stripe.checkout.sessions.retrieve(session.id)).payment_status).toBe('paid');
	});

	it('refuses sessions without mode or line items', async () => {
		const stripe = sdk();
		const noMode = await failureOf(stripe.checkout.sessions.create(sessionParams({ mode: undefined })));
		expect(noMode).toMatchObject({ statusCode: 400, code: 'parameter_missing', param: 'mode' });
		const noName = await failureOf(
			stripe.checkout.sessions.create(sessionParams({ line_items: [{ quantity: 1, price_data: { currency: 'eur', unit_amount: 100 } }] }))
		);
		expect(noName).toMatchObject({ statusCode: 400, code: 'parameter_missing', param: 'line_items[0][price_data][product_data][name]' });
	});
});

describe('webhooks', () => {
	it('signs events that constructEvent accepts, and a tampered payload fails verification', async () => {
		const stripe = sdk();
		const refund = { id: 're_123', object: 'refund', amount: 100, status: 'failed' };
		const { payload, signature, eventId } = fake.signedEvent('refund.failed', refund);

		const event = stripe.webhooks.constructEvent(payload, signature, fake.webhookSecret);
		expect(event).toMatchObject({ id: eventId, object: 'event', type: 'refund.failed', livemode: false, pending_webhooks: 1, request: { id: null, idempotency_key: null }, data: { object: refund } });
		expect(event.id).toMatch(/^evt_/);

		const tampered = payload.replace('"amount": 100', '"amount": 100000');
		expect(tampered).not.toBe(payload);
		expect(() => stripe.webhooks.constructEvent(tampered, signature, fake.webhookSecret)).toThrow(Stripe.errors.StripeSignatureVerificationError);
		expect(() => stripe.webhooks.constructEvent(payload, signature, 'whsec_other')).toThrow(Stripe.errors.StripeSignatureVerificationError);

		const old = fake.signedEvent('refund.failed', refund, { timestamp: Math.floor(Date.now() / 1000) - 3600 });
		expect(() => stripe.webhooks.constructEvent(old.payload, old.signature, fake.webhookSecret)).toThrow(/tolerance/);
	});

	it('delivers signed events by POST to a receiver and reports its answer', async () => {
		const stripe = sdk();
		const received: { headers: IncomingHttpHeaders; type: string }[] = [];
		const receiver = createServer((req, res) => {
			let body = '';
			req.on('data', (c: Buffer) => (body += c.toString('utf8')));
			req.on('end', () => {
				try {
					const event = stripe.webhooks.constructEvent(body, String(req.headers['stripe-signature']), fake.webhookSecret);
					received.push({ headers: req.headers, type: event.type });
					res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
				} catch {
					res.writeHead(400).end('bad signature');
				}
			});
		});
		await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
		const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/stripe`;
		try {
			const result = await fake.deliver(receiverUrl, 'checkout.session.completed', { id: 'cs_test_1', object: 'checkout.session' }, { eventId: 'evt_fixed' });
			expect(result).toEqual({ status: 200, body: '{"received":true}', eventId: 'evt_fixed' });
			expect(received[0].type).toBe('checkout.session.completed');
			expect(received[0].headers['content-type']).toBe('application/json; charset=utf-8');

			// With webhookUrl set, paying on the checkout page delivers checkout.session.completed first.
			fake.webhookUrl = receiverUrl;
			const session = await stripe.checkout.sessions.create({
				mode: 'payment',
				success_url: 'http://shop.test/ok',
				line_items: [{ quantity: 1, price_data: { currency: 'eur', unit_amount: 100, product_data: { name: 'Label' } } }]
			});
			await fetch(`${fake.url}/checkout/${session.id}/pay`, { method: 'POST', redirect: 'manual' });
			expect(received.map((r) => r.type)).toEqual(['checkout.session.completed', 'checkout.session.completed']);
		} finally {
			receiver.closeAllConnections();
			await new Promise((r) => receiver.close(r));
		}
	});
});

describe('form parsing', () => {
	it('nests brackets and turns indexed keys into arrays', () => {
		expect(parseForm('a=1&metadata[x]=y&line_items[0][price_data][currency]=eur&line_items[0][quantity]=2&expand[0]=charge')).toEqual({
			a: '1',
			metadata: { x: 'y' },
			line_items: [{ price_data: { currency: 'eur' }, quantity: '2' }],
			expand: ['charge']
		});
	});
});

describe('without the OpenAPI description', () => {
	it('still works and does not check parameter names', async () => {
		await fake.close();
		fake = await startFakeStripe({ openapiDir: null });
		const { paymentIntentId } = fake.addPayment({ amount: 100, currency: 'usd' });
		const refund = await sdk().refunds.create({ payment_intent: paymentIntentId, colour: 'blue' } as Stripe.RefundCreateParams);
		expect(refund.amount).toBe(100);
	});
});

describe.runIf(existsSync(SPEC_FILE))('against Stripe’s OpenAPI description', () => {
	const spec = () => JSON.parse(readFileSync(SPEC_FILE, 'utf8')) as { components: { schemas: Record<string, { required?: string[] }> } };

	it('refuses unknown parameters, top-level and nested, without saving the result under the key', async () => {
		const stripe = sdk();
		const { paymentIntentId } = fake.addPayment({ amount: 1000, currency: 'eur' });
		const unknown = await failureOf(stripe.refunds.create({ payment_intent: paymentIntentId, colour: 'blue' } as Stripe.RefundCreateParams, { idempotencyKey: 'ku' }));
		expect(unknown).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
		expect(unknown).toMatchObject({ statusCode: 400, code: 'parameter_unknown', param: 'colour', message: 'Received unknown parameter: colour' });
		// Metadata takes any key; the corrected request executes under the same key.
		const refund = await stripe.refunds.create({ payment_intent: paymentIntentId, metadata: { anything_goes: 'yes' } }, { idempotencyKey: 'ku' });
		expect(refund.metadata).toEqual({ anything_goes: 'yes' });

		const nested = await failureOf(
			stripe.checkout.sessions.create({
				mode: 'payment',
				success_url: 'http://shop.test/ok',
				line_items: [{ quantity: 1, price_data: { currency: 'eur', unit_amount: 100, product_data: { name: 'Label' }, colour: 'red' } }]
			} as unknown as Stripe.Checkout.SessionCreateParams)
		);
		expect(nested).toMatchObject({ statusCode: 400, param: 'line_items[0][price_data][colour]', message: 'Received unknown parameter: line_items[0][price_data][colour]' });

		const inPaymentIntentData = await failureOf(
			stripe.checkout.sessions.create({
				mode: 'payment',
				success_url: 'http://shop.test/ok',
				line_items: [{ quantity: 1, price_data: { currency: 'eur', unit_amount: 100, product_data: { name: 'Label' } } }],
				payment_intent_data: { metadata: { a: 'b' }, colour: 'red' }
			} as Stripe.Checkout.SessionCreateParams)
		);
		expect(inPaymentIntentData.param).toBe('payment_intent_data[colour]');

		const inQuery = await failureOf(stripe.refunds.list({ payment_intent: paymentIntentId, colour: 'red' } as Stripe.RefundListParams));
		expect(inQuery.param).toBe('colour');
	});

	it('answers refunds, checkout sessions and payment intents with every property the spec requires', async () => {
		const stripe = sdk();
		const { paymentIntentId } = fake.addPayment({ amount: 1000, currency: 'eur' });
		const refund = await stripe.refunds.create({ payment_intent: paymentIntentId });
		const session = await stripe.checkout.sessions.create({
			mode: 'payment',
			success_url: 'http://shop.test/ok',
			cancel_url: 'http://shop.test/cancel',
			line_items: [{ quantity: 1, price_data: { currency: 'eur', unit_amount: 100, product_data: { name: 'Label' } } }]
		});
		const intent = await stripe.paymentIntents.retrieve(paymentIntentId);
		const schemas = spec().components.schemas;
		for (const [name, object] of [
			['refund', refund],
			['checkout.session', session],
			['payment_intent', intent]
		] as const) {
			const required = schemas[name].required ?? [];
			expect(required.length).toBeGreaterThan(0);
			expect(required.filter((p) => !(p in object)), name).toEqual([]);
		}
	});
});
