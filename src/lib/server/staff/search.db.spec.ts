import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db/test-db';
import { createTestShop, insertTestOrder } from '../test-fixtures';
import { escapeLike, rmaPrefixPatterns, searchEverything } from './search';

let t: TestDatabase;
let shopId: string;
let otherShopId: string;
const ids: Record<string, string> = {};

async function order(number: string, email: string, name?: [string, string]) {
	const o = await insertTestOrder(t.sql, shopId, { number, email, lines: [{ title: 'Pull', quantity: 1, unitPrice: 5000 }] });
	if (name) await t.sql`update customers set first_name = ${name[0]}, last_name = ${name[1]} where id = ${o.customerId}`;
	return o;
}

async function returnOf(o: { orderId: string; customerId: string }, rma: string, shop = shopId) {
	const [r] = await t.sql`
		insert into returns (shop_id, order_id, customer_id, rma, channel, currency, decision_status)
		values (${shop}, ${o.orderId}, ${o.customerId}, ${rma}, 'customer', 'EUR', 'needs_review') returning id`;
	return r.id as string;
}

beforeAll(async () => {
	t = await createTestDatabase();
	shopId = (await createTestShop(t.sql, 'search-shop')).id;
	otherShopId = (await createTestShop(t.sql, 'search-other')).id;
	const a = await order('1001', 'camille.martin@example.com', ['Camille', 'Martin']);
	const b = await order('1002', 'camille.martin@example.com');
	const c = await order('1100', 'jo_100%@example.com', ['Jo', 'Dupont']);
	const d = await order('2001', 'joxy100x@example.com', ['Joël', 'Petit']);
	ids.a = a.orderId;
	ids.c = c.orderId;
	ids.customerA = a.customerId;
	ids.customerC = c.customerId;
	ids.ret1 = await returnOf(a, 'R-AB12-CD34');
	ids.ret2 = await returnOf(b, 'R-AB12-XY99');
	ids.ret3 = await returnOf(d, 'R-RR12-0001');
	await t.sql`update orders set external_id = 'shopify-55501' where id = ${ids.a}`;
	// Another shop's order and return, the same number and RMA prefix: never shown.
	const foreign = await insertTestOrder(t.sql, otherShopId, { number: '1001', email: 'camille.martin@example.com', lines: [{ title: 'Pull', quantity: 1, unitPrice: 5000 }] });
	await returnOf(foreign, 'R-AB12-ZZZZ', otherShopId);
});
afterAll(() => t?.close());

const search = (q: string, limit?: number) => searchEverything(t.sql, shopId, q, limit);

describe('rmaPrefixPatterns', () => {
	it('reads an RMA or its start in any case, with or without dashes and the R, look-alikes forgiven', () => {
		expect(rmaPrefixPatterns('R-AB12-CD34')).toEqual(['R-AB12-CD34%']);
		expect(rmaPrefixPatterns('r ab12 cd')).toEqual(['R-AB12-CD%', 'R-RAB1-2CD%']);
		expect(rmaPrefixPatterns('ab12cd34')).toEqual(['R-AB12-CD34%']);
		expect(rmaPrefixPatterns('ab1')).toEqual(['R-AB1%']);
		expect(rmaPrefixPatterns('RR12')).toEqual(['R-R12%', 'R-RR12%']);
		expect(rmaPrefixPatterns('R-ABlO')).toEqual(['R-AB10%', 'R-RAB1-0%']);
		expect(rmaPrefixPatterns('camille@example.com')).toEqual([]);
		expect(rmaPrefixPatterns('%_')).toEqual([]);
		expect(rmaPrefixPatterns('R')).toEqual(['R-R%']);
	});

	it('escapes LIKE wildcards', () => {
		expect(escapeLike('50%_off\\')).toBe('50\\%\\_off\\\\');
	});
});

describe('searchEverything', () => {
	it('finds returns by RMA prefix, any case, with or without dashes', async () => {
		for (const q of ['R-AB12-CD34', 'r-ab12-cd34', 'ab12cd34', 'RAB12CD', ' ab12-cd ']) {
			expect((await search(q)).returns.items.map((r) => r.rma), q).toEqual(['R-AB12-CD34']);
		}
		const both = await search('ab12');
		expect(both.returns.items.map((r) => r.rma).sort()).toEqual(['R-AB12-CD34', 'R-AB12-XY99']);
		expect(both.returns.items.find((r) => r.rma === 'R-AB12-CD34')).toEqual({
			id: ids.ret1,
			rma: 'R-AB12-CD34',
			orderId: ids.a,
			orderNumber: '1001',
			email: 'camille.martin@example.com',
			decisionStatus: 'needs_review',
			requestedAt: expect.any(Date)
		});
		expect((await search('RR12')).returns.items.map((r) => r.rma)).toEqual(['R-RR12-0001']);
	});

	it('finds orders by number (with or without #), external id and email', async () => {
		expect((await search('1001')).orders.items.map((o) => o.orderNumber)).toEqual(['1001']);
		expect((await search('#10')).orders.items.map((o) => o.orderNumber).sort()).toEqual(['1001', '1002']);
		expect((await search('SHOPIFY-555')).orders.items).toMatchObject([{ id: ids.a, externalId: 'shopify-55501', customerName: 'Camille Martin', returns: 1 }]);
		expect((await search('CAMILLE.MARTIN@')).orders.items.map((o) => o.orderNumber).sort()).toEqual(['1001', '1002']);
	});

	it('finds customers by email or name, either order, once each', async () => {
		expect((await search('camille')).customers.items).toEqual([
			{ id: ids.customerA, email: 'camille.martin@example.com', name: 'Camille Martin', orders: 2, returns: 2 }
		]);
		expect((await search('martin camille')).customers.items.map((c) => c.id)).toEqual([ids.customerA]);
		expect((await search('dupont')).customers.items.map((c) => c.id)).toEqual([ids.customerC]);
	});

	it('takes a % or _ typed by staff literally', async () => {
		const percent = await search('100%');
		expect(percent.customers.items.map((c) => c.email)).toEqual(['jo_100%@example.com']);
		expect(percent.orders.items.map((o) => o.orderNumber)).toEqual(['1100']);
		expect((await search('jo_')).customers.items.map((c) => c.email)).toEqual(['jo_100%@example.com']);
		expect((await search('%')).customers.items.map((c) => c.email)).toEqual(['jo_100%@example.com']);
		expect((await search('_')).orders.items.map((o) => o.orderNumber)).toEqual(['1100']);
	});

	it('limits each group and says when there is more; an empty query finds nothing', async () => {
		const limited = await search('example.com', 1);
		expect(limited.orders.items).toHaveLength(1);
		expect(limited.orders.more).toBe(true);
		expect(limited.customers).toMatchObject({ items: [expect.anything()], more: true });
		expect((await search('camille', 1)).customers.more).toBe(false);
		expect(await search('   ')).toEqual({
			query: '',
			returns: { items: [], more: false },
			orders: { items: [], more: false },
			customers: { items: [], more: false }
		});
	});

	it("never shows another shop's returns, orders or customers", async () => {
		const results = await search('ab12');
		expect(results.returns.items.map((r) => r.rma)).not.toContain('R-AB12-ZZZZ');
		expect((await search('1001')).orders.items).toHaveLength(1);
		expect((await search('camille')).customers.items).toHaveLength(1);
	});
});
