import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertProduct } from '../catalogue/products';
import { createTestDatabase, type TestDatabase } from '../db/test-db';
import { startWorkers } from '../jobs';
import { jobHandlers } from '../jobs/handlers';
import { builtinLabels } from '../labels/provider';
import { startFakeStripe, type FakeStripe } from '../refunds/fake-stripe';
import { listReturnRefunds } from '../refunds/service';
import { createStripe } from '../refunds/stripe';
import { applyStripeEvent } from '../refunds/webhook';
import { createReturn, transitionReturn } from '../returns/service';
import { createTestShop, insertTestOrder } from '../test-fixtures';
import { addWebhookEndpoint, listDeliveries } from '../webhooks/service';
import { listReturnExchanges } from './service';
import type Stripe from 'stripe';

let t: TestDatabase;
let stripe: FakeStripe;
let shop: http.Server;
let shopId: string;
let secret: string;
const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
let n = 0;
const eur = (amount: number) => ({ amount, currency: 'EUR' });

beforeAll(async () => {
	t = await createTestDatabase();
	stripe = await startFakeStripe();
	// The shop's endpoint for Retour's webhooks.
	shop = http.createServer(async (req, res) => {
		let body = '';
		for await (const chunk of req) body += chunk;
		received.push({ headers: req.headers, body });
		res.writeHead(204).end();
	});
	await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
	shopId = (await createTestShop(t.sql, 'exchanges')).id;
	secret = (await addWebhookEndpoint(t.sql, shopId, { url: `http://127.0.0.1:${(shop.address() as AddressInfo).port}/hooks`, events: ['exchange.order_requested'] })).secret;
});
afterAll(async () => {
	await new Promise((resolve) => shop?.close(resolve));
	await stripe?.close();
	await t?.close();
});

async function jeans(stock: Record<string, number>, prices: Record<string, number> = {}) {
	const id = `jeans-${++n}`;
	const product = await upsertProduct(t.sql, shopId, id, {
		title: 'Jean droit',
		options: ['Waist'],
		variants: Object.keys(stock).map((w) => ({ externalId: `${id}-${w}`, sku: `${id}-${w}`.toUpperCase(), price: eur(prices[w] ?? 8900), options: { Waist: w }, inventoryQuantity: stock[w] }))
	});
	const variant = (w: string) => product.product.variants.find((v: { sku: string }) => v.sku === `${id}-${w}`.toUpperCase())!.id as string;
	return { productId: product.product.id as string, variant };
}

async function exchangeReturn(options: { from: string; to: string; stock: Record<string, number>; prices?: Record<string, number> }) {
	const p = await jeans(options.stock, options.prices);
	const payment = stripe.addPayment({ amount: 8900, currency: 'eur' });
	const o = await insertTestOrder(t.sql, shopId, {
		number: `X${++n}`,
		paymentIntentId: payment.paymentIntentId,
		lines: [{ title: 'Jean droit', quantity: 1, unitPrice: 8900, productId: p.productId, variantId: p.variant(options.from) }]
	});
	const r = await createReturn(
		t.sql,
		{
			shopId,
			orderId: o.orderId,
			channel: 'customer',
			resolution: 'exchange_variant',
			returnMethod: 'drop_off',
			lines: [{ orderLineId: o.lineIds[0], quantity: 1, reasonCode: 'too_small', requestedResolution: 'exchange', exchangeVariantId: p.variant(options.to) }]
		},
		{ kind: 'customer' }
	);
	return { r, p, o, payment };
}

/** The parcel's first scan: the default policy's moment to pay, and to ship an exchange. */
const scanned = (returnId: string) =>
	transitionReturn(t.sql, { shopId, returnId, machine: 'reception', to: 'in_transit' }, { kind: 'system', id: 'carrier' });

async function drain() {
	const workers = await startWorkers(t.sql, jobHandlers(t.sql, { stripe: createStripe({ secretKey: stripe.apiKey, apiBase: stripe.url }), labels: { builtin: builtinLabels }, smtpUrl: null }), { poll: false });
	try {
		await workers.drain();
	} finally {
		await workers.stop();
	}
}

const available = async (variantId: string) =>
	(await t.sql<{ n: number }[]>`
		select v.inventory_quantity - coalesce((select sum(quantity) from exchanges e where e.variant_id = v.id and e.status in ('reserved', 'awaiting_payment')), 0) as n
		from variants v where v.id = ${variantId}`)[0].n;

describe('exchanges', () => {
	it('holds the size chosen, then sends the replacement order to the shop by a signed webhook', async () => {
		const { r, p, o } = await exchangeReturn({ from: 'W31', to: 'W32', stock: { W31: 0, W32: 1 } });
		expect(r.decisionStatus).toBe('accepted');
		expect(await available(p.variant('W32'))).toBe(0); // held for this customer
		// The last unit is held: another customer's exchange for it is refused.
		const other = await insertTestOrder(t.sql, shopId, { number: `X${++n}`, lines: [{ title: 'Jean droit', quantity: 1, unitPrice: 8900, productId: p.productId, variantId: p.variant('W31') }] });
		await expect(
			createReturn(t.sql, { shopId, orderId: other.orderId, channel: 'customer', resolution: 'exchange_variant', lines: [{ orderLineId: other.lineIds[0], quantity: 1, reasonCode: 'too_small', requestedResolution: 'exchange', exchangeVariantId: p.variant('W32') }] }, { kind: 'customer' })
		).rejects.toMatchObject({ code: 'out_of_stock', message: /sold out/ });

		await drain();
		expect((await listReturnExchanges(t.sql, r.id))[0].status).toBe('reserved'); // not before the parcel is on its way
		await scanned(r.id);
		await drain();
		const [ex] = await listReturnExchanges(t.sql, r.id);
		expect(ex).toMatchObject({ status: 'ordered', priceDifference: 0, quantity: 1 });
		const [line] = await t.sql`select resolution_status from return_lines where return_id = ${r.id}`;
		expect(line.resolution_status).toBe('exchanged');
		expect(await listReturnRefunds(t.sql, shopId, r.id)).toHaveLength(0); // an exchange pays nothing back

		const hook = received.find((h) => JSON.parse(h.body).data.returnId === r.id)!;
		expect(hook.headers['retour-event']).toBe('exchange.order_requested');
		const body = JSON.parse(hook.body);
		expect(body.data).toMatchObject({ rma: r.rma, items: [{ sku: expect.stringMatching(/-W32$/), quantity: 1 }], shippingAddress: { city: 'Lyon' } });
		expect(body.data.originalOrder.externalId).toBe(`ext-${(await t.sql`select order_number from orders where id = ${o.orderId}`)[0].order_number}`);
		const [, ts, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(hook.headers['retour-signature']))!;
		expect(createHmac('sha256', secret).update(`${ts}.${hook.body}`).digest('hex')).toBe(v1);
		const deliveries = await listDeliveries(t.sql, shopId);
		expect(deliveries.find((d) => d.id === body.id)).toMatchObject({ status: 'delivered', attempts: 1, responseStatus: 204 });
		const kinds = await t.sql`select kind from emails where return_id = ${r.id} order by created_at`;
		expect(kinds.map((k) => k.kind)).toContain('exchange_shipped');
	});

	it('asks the customer to pay a higher price’s difference through Stripe Checkout, and ships once it is paid', async () => {
		const { r } = await exchangeReturn({ from: 'W31', to: 'W32', stock: { W31: 1, W32: 2 }, prices: { W32: 9900 } });
		await scanned(r.id);
		await drain();
		const [waiting] = await listReturnExchanges(t.sql, r.id);
		expect(waiting).toMatchObject({ status: 'awaiting_payment', priceDifference: 1000 });
		expect(waiting.checkoutUrl).toMatch(/\/checkout\/cs_/);
		const session = stripe.checkoutSessions.at(-1)!;
		expect(session).toMatchObject({ mode: 'payment', amount_total: 1000, currency: 'eur', metadata: { retour_exchange_id: waiting.id } });
		const [email] = await t.sql`select text_body from emails where return_id = ${r.id} and kind = 'exchange_payment_needed'`;
		expect(email.text_body).toContain(waiting.checkoutUrl);

		const paid = stripe.completeCheckoutSession(session.id);
		const event = { id: `evt_paid_${n}`, type: 'checkout.session.completed', data: { object: paid } } as unknown as Stripe.Event;
		expect(await applyStripeEvent(t.sql, event)).toBe('applied');
		expect(await applyStripeEvent(t.sql, event)).toBe('duplicate');
		const [after] = await listReturnExchanges(t.sql, r.id);
		expect(after.status).toBe('ordered');
		await drain();
		expect(received.filter((h) => JSON.parse(h.body).data.returnId === r.id)).toHaveLength(1);
	});

	it('refunds a lower price’s difference, and gives the held item back when the return is cancelled', async () => {
		const cheaper = await exchangeReturn({ from: 'W31', to: 'W30', stock: { W31: 1, W30: 1 }, prices: { W30: 7900 } });
		await scanned(cheaper.r.id);
		await drain();
		const [refund] = await listReturnRefunds(t.sql, shopId, cheaper.r.id);
		expect(refund).toMatchObject({ purpose: 'exchange_difference', amount: 1000, status: 'succeeded' });

		const cancelled = await exchangeReturn({ from: 'W31', to: 'W33', stock: { W31: 1, W33: 1 } });
		expect(await available(cancelled.p.variant('W33'))).toBe(0);
		await transitionReturn(t.sql, { shopId, returnId: cancelled.r.id, machine: 'decision', to: 'cancelled', reason: 'Changed my mind' }, { kind: 'customer' });
		expect(await available(cancelled.p.variant('W33'))).toBe(1);
		expect((await listReturnExchanges(t.sql, cancelled.r.id))[0].status).toBe('released');
	});
});
