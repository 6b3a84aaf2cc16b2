import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, ValidationError } from '../api/errors';
import { upsertProduct } from '../catalogue/products';
import { createTestDatabase, realPostgres, type TestDatabase } from '../db/test-db';
import { createTestShop } from '../test-fixtures';
import { ingestOrder, type OrderInput } from './intake';
import { getOrderByExternalId } from './queries';

let t: TestDatabase;
let shopId: string;
const eur = (amount: number) => ({ amount, currency: 'EUR' });

beforeAll(async () => {
	t = await createTestDatabase();
	shopId = (await createTestShop(t.sql, 'intake-shop')).id;
	await upsertProduct(t.sql, shopId, 'jeans', {
		title: 'Slim jeans',
		options: ['Waist', 'Length'],
		variants: [
			{ externalId: 'jeans-32-32', sku: 'JEAN-W32-L32', price: eur(8900), options: { Waist: 'W32', Length: 'L32' } },
			{ externalId: 'jeans-34-32', sku: 'JEAN-W34-L32', price: eur(8900), options: { Waist: 'W34', Length: 'L32' } }
		]
	});
	await upsertProduct(t.sql, shopId, 'cable', {
		title: 'USB-C cable',
		variants: [{ externalId: 'cable-1m', sku: 'CABLE-C-1M', title: '1 m', price: eur(1900) }]
	});
});
afterAll(() => t.close());

function makeOrder(n: string, overrides: Partial<OrderInput> = {}): OrderInput {
	return {
		externalId: `shopify-${n}`,
		orderNumber: n,
		currency: 'EUR',
		locale: 'fr',
		customer: { email: `Camille.${n}@Example.com`, firstName: 'Camille', lastName: 'Martin' },
		shippingAddress: { name: 'Camille Martin', line1: '12 rue de la Paix', postalCode: '75002', city: 'Paris', country: 'fr' },
		lines: [
			{ externalId: 'l1', sku: 'JEAN-W32-L32', quantity: 1, unitPrice: eur(8900), vatRate: 20 },
			{ externalId: 'l2', variantExternalId: 'cable-1m', quantity: 2, unitPrice: eur(1900), discount: eur(300), vatRate: 20 },
			{ externalId: 'l3', sku: 'OLD-MUG', title: 'Mug (discontinued)', quantity: 1, unitPrice: eur(1055), vatRate: 5.5 }
		],
		shipping: { amount: eur(495), vatRate: 20 },
		payment: { stripePaymentIntentId: 'pi_123abc', stripeChargeId: 'ch_456def' },
		orderedAt: '2026-03-01T10:00:00Z',
		fulfilledAt: '2026-03-02T09:00:00+01:00',
		...overrides
	};
}

async function rowCounts(externalId: string) {
	const [r] = await t.sql`
		select count(distinct o.id)::int as orders, count(l.id)::int as lines
		from orders o left join order_lines l on l.order_id = o.id
		where o.shop_id = ${shopId} and o.external_id = ${externalId}`;
	return r;
}

describe('ingestOrder', () => {
	it('creates the order, its customer and lines, matched to the catalogue, with VAT computed half-up', async () => {
		const { order, created } = await ingestOrder(t.sql, shopId, order1(), { source: 'api' });
		expect(created).toBe(true);
		expect(order).toMatchObject({
			externalId: 'shopify-1001',
			orderNumber: '1001',
			currency: 'EUR',
			locale: 'fr',
			taxesIncluded: true,
			customer: { email: 'Camille.1001@Example.com', firstName: 'Camille', lastName: 'Martin' },
			shippingAddress: { country: 'FR', region: null, line2: null },
			payment: { stripePaymentIntentId: 'pi_123abc', stripeChargeId: 'ch_456def' },
			orderedAt: '2026-03-01T10:00:00.000Z',
			fulfilledAt: '2026-03-02T08:00:00.000Z',
			deliveredAt: null,
			source: 'api'
		});
		const [jeans, cable, mug] = order.lines;
		expect(jeans).toMatchObject({ externalId: 'l1', sku: 'JEAN-W32-L32', title: 'Slim jeans', variantTitle: 'W32 / L32', total: eur(8900) });
		expect(jeans.variantId).toMatch(/^[0-9a-f-]{36}$/);
		expect(jeans.vatAmount).toEqual(eur(1483)); // 8900 × 20 / 120 = 1483.33
		expect(cable).toMatchObject({ sku: 'CABLE-C-1M', title: 'USB-C cable', variantTitle: '1 m', quantity: 2, discount: eur(300), total: eur(3500) });
		expect(cable.vatAmount).toEqual(eur(583)); // 3500 / 6 = 583.33
		expect(mug).toMatchObject({ sku: 'OLD-MUG', title: 'Mug (discontinued)', variantId: null, productId: null, vatRate: 5.5 });
		expect(mug.vatAmount).toEqual(eur(55)); // 1055 × 5.5 / 105.5 = 55
		expect(order.subtotal).toEqual(eur(8900 + 3500 + 1055));
		expect(order.shipping).toEqual({ amount: eur(495), vatAmount: eur(83) }); // 495 / 6 = 82.5 → 83
		expect(order.tax).toEqual(eur(1483 + 583 + 55 + 83));
		expect(order.total).toEqual(eur(8900 + 3500 + 1055 + 495));
		expect(await getOrderByExternalId(t.sql, shopId, 'shopify-1001')).toEqual(order);
	});

	it('adds VAT on top when taxes are not included', async () => {
		const { order } = await ingestOrder(
			t.sql,
			shopId,
			makeOrder('1002', {
				taxesIncluded: false,
				lines: [{ externalId: 'l1', sku: 'JEAN-W32-L32', quantity: 1, unitPrice: eur(7417), vatRate: 20, vatAmount: eur(1483) }],
				shipping: { amount: eur(413), vatRate: 20 }
			}),
			{ source: 'api' }
		);
		expect(order.lines[0].vatAmount).toEqual(eur(1483)); // stated, within 1 of 1483.4
		expect(order.shipping.vatAmount).toEqual(eur(83)); // 82.6
		expect(order.tax).toEqual(eur(1566));
		expect(order.total).toEqual(eur(7417 + 413 + 1566));
	});

	it('is idempotent: a resend keeps the same ids and writes no duplicate', async () => {
		const before = (await getOrderByExternalId(t.sql, shopId, 'shopify-1001'))!;
		const { order, created } = await ingestOrder(t.sql, shopId, order1(), { source: 'api' });
		expect(created).toBe(false);
		expect(order.id).toBe(before.id);
		expect(order.lines.map((l) => l.id)).toEqual(before.lines.map((l) => l.id));
		expect({ ...order, updatedAt: '' }).toEqual({ ...before, updatedAt: '' });
		expect(await rowCounts('shopify-1001')).toEqual({ orders: 1, lines: 3 });
		const [{ n }] = await t.sql`select count(*)::int as n from customers where shop_id = ${shopId} and lower(email) = 'camille.1001@example.com'`;
		expect(n).toBe(1);
	});

	it('updates dates, address, payment and lines on a resend, matching lines by externalId', async () => {
		const before = (await getOrderByExternalId(t.sql, shopId, 'shopify-1001'))!;
		const input = order1();
		input.deliveredAt = '2026-03-04T15:00:00Z';
		input.shippingAddress = { ...input.shippingAddress, line2: 'Bâtiment B' };
		input.payment = { stripePaymentIntentId: 'pi_999' };
		input.lines = [
			{ ...input.lines[2], quantity: 2 },
			input.lines[0],
			{ externalId: 'l4', sku: 'JEAN-W34-L32', quantity: 1, unitPrice: eur(8900), vatRate: 20 }
		];
		const { order, created } = await ingestOrder(t.sql, shopId, input, { source: 'api' });
		expect(created).toBe(false);
		expect(order.id).toBe(before.id);
		expect(order.deliveredAt).toBe('2026-03-04T15:00:00.000Z');
		expect(order.shippingAddress.line2).toBe('Bâtiment B');
		expect(order.payment).toEqual({ stripePaymentIntentId: 'pi_999', stripeChargeId: null });
		expect(order.lines.map((l) => [l.externalId, l.position, l.quantity])).toEqual([
			['l3', 1, 2],
			['l1', 2, 1],
			['l4', 3, 1]
		]);
		expect(order.lines.find((l) => l.externalId === 'l1')!.id).toBe(before.lines.find((l) => l.externalId === 'l1')!.id);
		expect(order.subtotal).toEqual(eur(2110 + 8900 + 8900));
		expect(await rowCounts('shopify-1001')).toEqual({ orders: 1, lines: 3 });
	});

	it('keeps the card fingerprint and a normalised address key, which link accounts for the risk score', async () => {
		const input = { ...order1(), externalId: 'fp-1', orderNumber: 'FP-1', payment: { cardFingerprint: 'Xt9fp0aBc' } };
		const { order } = await ingestOrder(t.sql, shopId, input, { source: 'api' });
		const [row] = await t.sql`select payment_fingerprint, address_key from orders where id = ${order.id}`;
		expect(row.payment_fingerprint).toBe('Xt9fp0aBc');
		const again = {
			...input,
			externalId: 'fp-2',
			orderNumber: 'FP-2',
			shippingAddress: { ...input.shippingAddress, line1: input.shippingAddress.line1.toUpperCase().replace(/ /g, '  ') + '.' }
		};
		const { order: second } = await ingestOrder(t.sql, shopId, again, { source: 'api' });
		const [row2] = await t.sql`select address_key from orders where id = ${second.id}`;
		expect(row2.address_key).toBe(row.address_key);
	});

	it('refuses to drop or shrink a line that has a return (409) and writes nothing', async () => {
		const stored = (await getOrderByExternalId(t.sql, shopId, 'shopify-1001'))!;
		const line = stored.lines.find((l) => l.externalId === 'l3')!;
		const [ret] = await t.sql`
			insert into returns (shop_id, order_id, customer_id, rma, channel, currency)
			values (${shopId}, ${stored.id}, ${stored.customer.id}, 'R-TEST-0001', 'staff', 'EUR') returning id`;
		await t.sql`insert into return_lines (shop_id, return_id, order_line_id, quantity, reason_code)
			values (${shopId}, ${ret.id}, ${line.id}, 2, 'changed_mind')`;

		const dropped = order1();
		dropped.lines = dropped.lines.filter((l) => l.externalId !== 'l3');
		dropped.orderNumber = 'not-written';
		const error = await ingestOrder(t.sql, shopId, dropped, { source: 'api' }).catch((e) => e);
		expect(error).toBeInstanceOf(ConflictError);
		expect(error.fields).toEqual([{ path: 'lines', message: expect.stringContaining('"l3"') }]);

		const shrunk = order1();
		shrunk.lines[2] = { ...shrunk.lines[2], quantity: 1 };
		const error2 = await ingestOrder(t.sql, shopId, shrunk, { source: 'api' }).catch((e) => e);
		expect(error2).toBeInstanceOf(ConflictError);
		expect(error2.fields).toEqual([{ path: 'lines[2].quantity', message: 'must be at least 2: that many are in a return' }]);

		expect((await getOrderByExternalId(t.sql, shopId, 'shopify-1001'))!.orderNumber).toBe('1001');
	});

	it('refuses money in another currency, naming each field', async () => {
		const input = makeOrder('1003');
		input.lines[0] = { ...input.lines[0], unitPrice: { amount: 8900, currency: 'USD' } };
		input.lines[1] = { ...input.lines[1], discount: { amount: 300, currency: 'GBP' } };
		input.shipping = { amount: { amount: 495, currency: 'USD' } };
		const error = await ingestOrder(t.sql, shopId, input, { source: 'api' }).catch((e) => e);
		expect(error).toBeInstanceOf(ValidationError);
		expect(error.fields.map((f: { path: string }) => f.path)).toEqual([
			'lines[0].unitPrice.currency',
			'lines[1].discount.currency',
			'shipping.amount.currency'
		]);
		expect(await rowCounts('shopify-1003')).toEqual({ orders: 0, lines: 0 });
	});

	it('refuses amounts too large to add up exactly', async () => {
		const input = makeOrder('1009');
		input.lines[0] = { ...input.lines[0], quantity: 3, unitPrice: { amount: 900_000_000_000, currency: 'EUR' } };
		input.lines[1] = { ...input.lines[1], unitPrice: { amount: 3_002_399_751_580_331, currency: 'EUR' } };
		const error = await ingestOrder(t.sql, shopId, input, { source: 'api' }).catch((e) => e);
		expect(error).toBeInstanceOf(ValidationError);
		expect(error.fields.map((f: { path: string }) => f.path)).toEqual(expect.arrayContaining(['lines[1].unitPrice.amount', 'lines[0].quantity']));
		expect(await rowCounts('shopify-1009')).toEqual({ orders: 0, lines: 0 });
	});

	it('refuses a stated VAT more than one minor unit off', async () => {
		const input = makeOrder('1004');
		input.lines[0] = { ...input.lines[0], vatAmount: eur(1482) }; // computed 1483: fine
		input.lines[1] = { ...input.lines[1], vatAmount: eur(700) }; // computed 583
		const error = await ingestOrder(t.sql, shopId, input, { source: 'api' }).catch((e) => e);
		expect(error.fields).toEqual([{ path: 'lines[1].vatAmount.amount', message: expect.stringContaining('583') }]);
	});

	it('accepts an unknown SKU with a title, and refuses one without', async () => {
		const withTitle = makeOrder('1005', {
			lines: [{ externalId: 'l1', sku: 'GONE-1', title: 'Old scarf', quantity: 1, unitPrice: eur(2500), vatRate: 20 }]
		});
		const { order: ok } = await ingestOrder(t.sql, shopId, withTitle, { source: 'import' });
		expect(ok.lines[0]).toMatchObject({ sku: 'GONE-1', title: 'Old scarf', variantId: null });
		expect(ok.source).toBe('import');

		const withoutTitle = makeOrder('1006', {
			lines: [
				{ externalId: 'l1', sku: 'JEAN-W32-L32', quantity: 1, unitPrice: eur(8900), vatRate: 20 },
				{ externalId: 'l2', sku: 'GONE-2', quantity: 1, unitPrice: eur(2500), vatRate: 20 },
				{ externalId: 'l3', variantExternalId: 'nope', quantity: 1, unitPrice: eur(2500), vatRate: 20 }
			]
		});
		const error = await ingestOrder(t.sql, shopId, withoutTitle, { source: 'api' }).catch((e) => e);
		expect(error).toBeInstanceOf(ValidationError);
		expect(error.fields.map((f: { path: string }) => f.path)).toEqual(['lines[1].sku', 'lines[2].variantExternalId']);
		expect(await rowCounts('shopify-1006')).toEqual({ orders: 0, lines: 0 });
		const [{ n }] = await t.sql`select count(*)::int as n from customers where shop_id = ${shopId} and lower(email) = 'camille.1006@example.com'`;
		expect(n).toBe(0);
	});

	it('names every structural problem at once', async () => {
		const error = await ingestOrder(
			t.sql,
			shopId,
			{
				externalId: '',
				orderNumber: '1007',
				currency: 'EURO',
				customer: { email: 'not-an-email' },
				shippingAddress: { name: 'X', line1: 'Y', postalCode: '1', city: 'Z', country: 'France' },
				lines: [{ externalId: 'a', quantity: 0, unitPrice: { amount: 12.5, currency: 'EUR' }, vatRate: 5.55555 }],
				orderedAt: 'yesterday',
				deliveredAt: '2020-01-01T00:00:00Z',
				surprise: true
			} as unknown as OrderInput,
			{ source: 'api' }
		).catch((e) => e);
		expect(error).toBeInstanceOf(ValidationError);
		expect(error.fields.map((f: { path: string }) => f.path).sort()).toEqual(
			[
				'externalId',
				'currency',
				'customer.email',
				'shippingAddress.country',
				'lines[0].quantity',
				'lines[0].unitPrice.amount',
				'lines[0].vatRate',
				'lines[0].title',
				'orderedAt',
				'surprise'
			].sort()
		);
	});

	it('refuses an order number already used by another order', async () => {
		const error = await ingestOrder(t.sql, shopId, makeOrder('1001', { externalId: 'another-id' }), { source: 'api' }).catch((e) => e);
		expect(error).toBeInstanceOf(ValidationError);
		expect(error.fields).toEqual([{ path: 'orderNumber', message: expect.stringContaining('another order') }]);
	});

	it('works in a zero-decimal currency', async () => {
		const yen = (amount: number) => ({ amount, currency: 'JPY' });
		const { order } = await ingestOrder(
			t.sql,
			shopId,
			makeOrder('1008', {
				currency: 'JPY',
				lines: [{ externalId: 'l1', title: 'Tenugui', quantity: 3, unitPrice: yen(1100), vatRate: 10 }],
				shipping: { amount: yen(500), vatRate: 10 }
			}),
			{ source: 'api' }
		);
		expect(order.lines[0].vatAmount).toEqual(yen(300));
		expect(order.shipping.vatAmount).toEqual(yen(45)); // 45.45
		expect(order.total).toEqual(yen(3800));
	});

	it.runIf(realPostgres)('converges on one order when two identical requests race (real PostgreSQL)', async () => {
		for (let round = 0; round < 5; round++) {
			const input = makeOrder(`race-${round}`);
			const results = await Promise.all([
				ingestOrder(t.sql, shopId, input, { source: 'api' }),
				ingestOrder(t.sql, shopId, input, { source: 'api' })
			]);
			expect(results.map((r) => r.created).sort()).toEqual([false, true]);
			expect(results[0].order.id).toBe(results[1].order.id);
			expect(results[0].order.lines.map((l) => l.id)).toEqual(results[1].order.lines.map((l) => l.id));
			expect(await rowCounts(`shopify-race-${round}`)).toEqual({ orders: 1, lines: 3 });
		}
	});
});

function order1() {
	return makeOrder('1001');
}
