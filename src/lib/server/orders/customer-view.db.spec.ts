import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db/test-db';
import { createReturn, transitionReturn } from '../returns/service';
import type { Shop } from '../shops/service';
import { authorizeReturnLink, loadOrderForCustomer, openReturnLink, returnLinkLocale } from './customer-view';
import { makeOrder, makeShop } from './customer-view.fixtures';
import { signReturnToken } from './return-links';

const secret = 's'.repeat(64);
const DAY = 86_400_000;
const staff = { kind: 'staff' as const, id: null };
let t: TestDatabase;
let shop: Shop;

beforeAll(async () => {
	t = await createTestDatabase();
	shop = await makeShop(t.sql, { name: 'Maison Test', locale: 'fr' });
});
afterAll(() => t.close());

describe('loadOrderForCustomer', () => {
	it('shows the order, its lines with what is left to return, and its returns', async () => {
		const order = await makeOrder(t.sql, shop, {
			orderNumber: '1001',
			email: 'ana@example.com',
			lines: [
				{ title: 'Jean droit', quantity: 2, unitPrice: 8900, discount: 1000, options: { Waist: 'W32', Length: 'L32' }, image: '/demo/jeans.svg' },
				{ title: 'T-shirt', quantity: 1, unitPrice: 2500 },
				{ title: 'Carte cadeau', quantity: 1, unitPrice: 5000, finalSale: true }
			]
		});
		const [jeans, tshirt, gift] = order.lineIds;
		const kept = await createReturn(
			t.sql,
			{ shopId: shop.id, orderId: order.id, channel: 'staff', lines: [{ orderLineId: jeans, quantity: 1, reasonCode: 'too_small' }] },
			staff
		);
		const cancelled = await createReturn(
			t.sql,
			{ shopId: shop.id, orderId: order.id, channel: 'staff', lines: [{ orderLineId: tshirt, quantity: 1, reasonCode: 'changed_mind' }] },
			staff
		);
		await transitionReturn(t.sql, { shopId: shop.id, returnId: cancelled.id, machine: 'decision', to: 'cancelled' }, staff);

		const view = (await loadOrderForCustomer(t.sql, order.id))!;
		expect(view.shopName).toBe('Maison Test');
		expect(view.orderNumber).toBe('1001');
		expect(view.locale).toBe('fr'); // the order has none: the shop's
		expect(view.timezone).toBe('Europe/Paris');
		expect(view.currency).toBe('EUR');
		expect(view.deliveryStatus).toBe('delivered');

		const byId = new Map(view.lines.map((l) => [l.id, l]));
		expect(view.lines.map((l) => l.title)).toEqual(['Jean droit', 'T-shirt', 'Carte cadeau']);
		expect(byId.get(jeans)).toMatchObject({
			quantity: 2,
			paidAmount: 2 * 8900 - 1000,
			options: [
				{ name: 'Waist', value: 'W32' },
				{ name: 'Length', value: 'L32' }
			],
			imageUrl: '/demo/jeans.svg',
			claimed: 1,
			returnable: 1,
			notReturnableReason: null
		});
		// the cancelled return gave its unit back
		expect(byId.get(tshirt)).toMatchObject({ claimed: 0, returnable: 1, notReturnableReason: null, imageUrl: null });
		expect(byId.get(gift)).toMatchObject({ returnable: 0, notReturnableReason: 'final_sale' });

		expect(view.returns.map((r) => r.rma).sort()).toEqual([kept.rma, cancelled.rma].sort());
		const open = view.returns.find((r) => r.id === kept.id)!;
		expect(open.status).toBe('accepted'); // within the policy: accepted at once
		expect(open.lines).toEqual([
			expect.objectContaining({ orderLineId: jeans, title: 'Jean droit', quantity: 1, reasonCode: 'too_small', reasonLabel: { en: 'Too small', fr: 'Trop petit' } })
		]);
		expect(view.returns.find((r) => r.id === cancelled.id)!.status).toBe('cancelled');
		expect(view.linkExpiresAt).toBeNull(); // a return is open
	});

	it('marks lines of an order not yet delivered', async () => {
		const order = await makeOrder(t.sql, shop, {
			orderNumber: '1002',
			email: 'ben@example.com',
			locale: 'en',
			fulfilledAt: new Date(Date.now() - DAY),
			deliveredAt: null
		});
		const view = (await loadOrderForCustomer(t.sql, order.id))!;
		expect(view.locale).toBe('en');
		expect(view.deliveryStatus).toBe('shipped');
		expect(view.lines[0]).toMatchObject({ returnable: 0, notReturnableReason: 'not_delivered' });
		expect(view.returns).toEqual([]);
		expect(view.linkExpiresAt).not.toBeNull();
	});

	it('shows the variant’s own picture, else the product’s, else another variant’s', async () => {
		const order = await makeOrder(t.sql, shop, {
			orderNumber: '1006',
			email: 'fred@example.com',
			lines: [{ title: 'Tee', quantity: 1, unitPrice: 2000, options: { Colour: 'Navy' } }]
		});
		const [line] = await t.sql<{ product_id: string; variant_id: string }[]>`select product_id, variant_id from order_lines where id = ${order.lineIds[0]}`;
		const [other] = await t.sql<{ id: string }[]>`
			insert into variants (shop_id, product_id, external_id, sku, title, price_amount, currency)
			values (${shop.id}, ${line.product_id}, 'v-1006-other', 'SKU-1006-other', 'White', 2000, 'EUR') returning id`;
		await t.sql`insert into product_images (shop_id, product_id, variant_id, position, url) values (${shop.id}, ${line.product_id}, ${other.id}, 1, '/white.svg')`;
		const imageOf = async () => (await loadOrderForCustomer(t.sql, order.id))!.lines[0].imageUrl;
		expect(await imageOf()).toBe('/white.svg');
		await t.sql`insert into product_images (shop_id, product_id, position, url) values (${shop.id}, ${line.product_id}, 2, '/product.svg')`;
		expect(await imageOf()).toBe('/product.svg');
		await t.sql`insert into product_images (shop_id, product_id, variant_id, position, url) values (${shop.id}, ${line.product_id}, ${line.variant_id}, 3, '/navy.svg')`;
		expect(await imageOf()).toBe('/navy.svg');
	});

	it('returns undefined for an unknown order', async () => {
		expect(await loadOrderForCustomer(t.sql, '00000000-0000-4000-8000-000000000000')).toBeUndefined();
	});
});

describe('openReturnLink', () => {
	it('opens the signed order, and nothing for a tampered, foreign, unknown or expired token', async () => {
		const order = await makeOrder(t.sql, shop, { orderNumber: '1003', email: 'chloe@example.com' });
		const token = signReturnToken(secret, order.id);
		expect((await openReturnLink(t.sql, secret, token))?.id).toBe(order.id);

		const tampered = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
		expect(await openReturnLink(t.sql, secret, tampered)).toBeUndefined();
		expect(await openReturnLink(t.sql, 'x'.repeat(64), token)).toBeUndefined();
		expect(await openReturnLink(t.sql, secret, signReturnToken(secret, '00000000-0000-4000-8000-000000000000'))).toBeUndefined();
		// a year after delivery with no return, the link has expired
		expect(await openReturnLink(t.sql, secret, token, new Date(Date.now() + 400 * DAY))).toBeUndefined();
	});

	it('authorizes the API as the page opens it: open while a return is open, 90 days after the last one closes', async () => {
		const order = await makeOrder(t.sql, shop, { orderNumber: '1199', email: 'fay@example.com', lines: [{ title: 'Robe', quantity: 2, unitPrice: 6000 }] });
		const token = signReturnToken(secret, order.id);
		const both = async (at: Date) => [(await openReturnLink(t.sql, secret, token, at))?.id, (await authorizeReturnLink(t.sql, secret, token, at))?.id];
		const later = (days: number) => new Date(Date.now() + days * DAY);
		expect(await authorizeReturnLink(t.sql, secret, token)).toEqual({ id: order.id, shopId: shop.id, locale: 'fr' });
		expect(await both(later(400))).toEqual([undefined, undefined]);
		const ret = await createReturn(t.sql, { shopId: shop.id, orderId: order.id, channel: 'staff', lines: [{ orderLineId: order.lineIds[0], quantity: 1, reasonCode: 'changed_mind' }] }, staff);
		// A return is open: the link holds whatever the date.
		expect(await both(later(400))).toEqual([order.id, order.id]);
		await transitionReturn(t.sql, { shopId: shop.id, returnId: ret.id, machine: 'decision', to: 'cancelled' }, staff);
		expect(await both(later(80))).toEqual([order.id, order.id]);
		expect(await both(later(400))).toEqual([undefined, undefined]);
		expect(await authorizeReturnLink(t.sql, secret, token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'))).toBeUndefined();
	});

	it('gives the locale for the page: the order’s, else the shop’s', async () => {
		const en = await makeOrder(t.sql, shop, { orderNumber: '1004', email: 'dan@example.com', locale: 'en' });
		const none = await makeOrder(t.sql, shop, { orderNumber: '1005', email: 'eve@example.com', locale: null });
		expect(await returnLinkLocale(t.sql, secret, signReturnToken(secret, en.id))).toBe('en');
		expect(await returnLinkLocale(t.sql, secret, signReturnToken(secret, none.id))).toBe('fr');
		expect(await returnLinkLocale(t.sql, secret, 'garbage-token-of-some-length')).toBeUndefined();
	});
});
