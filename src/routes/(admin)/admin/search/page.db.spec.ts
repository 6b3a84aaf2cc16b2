import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestMember } from '$lib/server/auth/test-support';
import { createAppTestDatabase, type TestDatabase } from '$lib/server/db/test-db';
import { createReturn } from '$lib/server/returns/service';
import { createTestShop, insertTestOrder } from '$lib/server/test-fixtures';
import { load } from './+page.server';
import type { PageServerData } from './$types';

/** The staff's search page: GET ?q= and its three groups. */

let t: TestDatabase;
let staff: App.Locals;
let rma: string;

beforeAll(async () => {
	t = await createAppTestDatabase('s'.repeat(64));
	const shop = await createTestShop(t.sql, 'search-page');
	const user = await createTestMember(t.sql, shop.id, 'staff', 'staff@search-page.example');
	staff = { user: { id: user.id, email: user.email, name: user.name }, session: null, shop, role: 'staff' };
	const o = await insertTestOrder(t.sql, shop.id, { number: 'SP-1', email: 'lea.roux@example.com', lines: [{ title: 'Robe', quantity: 1, unitPrice: 9900 }] });
	await t.sql`update customers set first_name = 'Léa', last_name = 'Roux' where id = ${o.customerId}`;
	rma = (
		await createReturn(
			t.sql,
			{ shopId: shop.id, orderId: o.orderId, channel: 'customer', lines: [{ orderLineId: o.lineIds[0], quantity: 1, reasonCode: 'too_small' }] },
			{ kind: 'customer', id: o.customerId }
		)
	).rma;
});
afterAll(() => t?.close());

async function page(q: string | null) {
	const url = new URL('https://retour.example/admin/search');
	if (q !== null) url.searchParams.set('q', q);
	return (await (load as (e: unknown) => Promise<unknown>)({ locals: staff, url })) as PageServerData;
}

describe('the search page', () => {
	it('finds a return by its RMA typed without dashes, and an order and its customer by name', async () => {
		const byRma = await page(rma.replaceAll('-', '').toLowerCase());
		expect(byRma.returns.items.map((r) => r.rma)).toEqual([rma]);
		expect(byRma.limit).toBe(10);
		const byName = await page('roux');
		expect(byName.customers.items).toMatchObject([{ email: 'lea.roux@example.com', name: 'Léa Roux', orders: 1, returns: 1 }]);
		expect(byName.orders.items.map((o) => o.orderNumber)).toEqual(['SP-1']);
	});

	it('shows nothing before a query is typed', async () => {
		expect(await page(null)).toMatchObject({ query: '', returns: { items: [] }, orders: { items: [] }, customers: { items: [] } });
	});
});
