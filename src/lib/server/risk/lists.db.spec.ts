import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestMember } from '../auth/test-support';
import { createTestDatabase, type TestDatabase } from '../db/test-db';
import { createTestShop, insertTestOrder, insertTestProduct } from '../test-fixtures';
import {
	addListEntry,
	addressKey,
	countListEntries,
	listEntries,
	listFlagsForLines,
	listMatches,
	removeListEntry,
	RiskListError,
	type ListAddress,
	type ListEntryInput
} from './lists';

let t: TestDatabase;
let shopId: string;
let otherShopId: string;
let userId: string;

beforeAll(async () => {
	t = await createTestDatabase();
	shopId = (await createTestShop(t.sql, 'lists-shop')).id;
	otherShopId = (await createTestShop(t.sql, 'lists-other')).id;
	userId = (await createTestMember(t.sql, shopId, 'admin', 'admin@lists.example', { name: 'Alex Admin' })).id;
});
afterAll(() => t?.close());

async function refusal(input: ListEntryInput, shop = shopId) {
	try {
		await addListEntry(t.sql, shop, input, userId);
	} catch (e) {
		if (e instanceof RiskListError) return { code: e.code, field: e.field, message: e.message, existing: e.existing };
		throw e;
	}
	return null;
}

let orderCount = 0;
async function orderAt(address: ListAddress) {
	const o = await insertTestOrder(t.sql, shopId, { number: `A-${++orderCount}`, lines: [{ title: 'T-shirt', quantity: 1, unitPrice: 1000 }] });
	const [row] = await t.sql<{ address_key: string }[]>`
		update orders set ship_line1 = ${address.line1}, ship_line2 = ${address.line2 ?? null}, ship_postal_code = ${address.postcode},
			ship_country = ${address.country}
		where id = ${o.orderId} returning address_key`;
	return row.address_key;
}

describe('addressKey', () => {
	it('is the key the database computes for an order shipped there, accents and all', async () => {
		const addresses: ListAddress[] = [
			{ line1: "12, Rue de l'Église", postcode: '75001', country: 'FR' },
			{ line1: '12 RUE DE L’ÉGLISE', line2: 'Bâtiment B — 3ᵉ étage', postcode: '75 001', country: 'FR' },
			{ line1: 'Flat 3', line2: '221b Baker St.', postcode: 'nw1 6xe', country: 'GB' },
			{ line1: 'Straße des 17. Juni 1½', postcode: 'D-10623', country: 'DE' },
			{ line1: 'İstiklal Caddesi No:5', postcode: '34433', country: 'TR' },
			{ line1: 'ΟΔΟΣ ΕΡΜΟΥ 10', postcode: '105 63', country: 'GR' },
			{ line1: 'Cafe\u0301 du Port, quai n° 2', line2: '', postcode: '', country: 'BE' },
			{ line1: '東京都千代田区 1-1', postcode: '100-0001', country: 'JP' },
			{ line1: 'Rue Ⅻ ⓐ ª² _x_', postcode: '75001', country: 'FR' }
		];
		for (const address of addresses) expect(addressKey(address), address.line1).toBe(await orderAt(address));
	});

	it('is what an address entry stores', async () => {
		const address = { line1: "12, Rue de l'Église", line2: 'Appt 4', postcode: '75001', country: 'FR' };
		const entry = await addListEntry(t.sql, shopId, { list: 'block', kind: 'address', ...address, reason: 'Empty boxes twice' }, userId);
		expect(entry.value).toBe(await orderAt(address));
		expect(entry.value).toBe(addressKey(address));
		expect(entry.label).toBe("12, Rue de l'Église, Appt 4, 75001 FR");
		await removeListEntry(t.sql, shopId, entry.id);
	});
});

describe('addListEntry', () => {
	it('stores the value normalised, the label as typed, the reason and who added it', async () => {
		const entry = await addListEntry(t.sql, shopId, { list: 'block', kind: 'email', value: '  Fraud@Example.COM ', reason: ' Chargebacks ' }, userId);
		expect(entry).toEqual({
			id: expect.any(String),
			list: 'block',
			kind: 'email',
			value: 'fraud@example.com',
			label: 'Fraud@Example.COM',
			reason: 'Chargebacks',
			createdAt: expect.any(Date),
			createdByName: 'Alex Admin',
			createdByEmail: 'admin@lists.example',
			known: true
		});
	});

	it('refuses a value already on a list, saying which, whatever the spelling', async () => {
		expect(await refusal({ list: 'allow', kind: 'email', value: 'FRAUD@example.com', reason: 'Mistake' })).toEqual({
			code: 'already_listed',
			field: 'value',
			message: 'This email is already on the block list (as "Fraud@Example.COM").',
			existing: { list: 'block', label: 'Fraud@Example.COM' }
		});
		// Another shop has its own lists.
		expect(await refusal({ list: 'allow', kind: 'email', value: 'fraud@example.com', reason: 'Fine here' }, otherShopId)).toBeNull();
	});

	it('names the field that is wrong and stores nothing', async () => {
		const before = (await countListEntries(t.sql, shopId)).block;
		expect(await refusal({ list: 'block', kind: 'email', value: 'not-an-email', reason: 'x' })).toMatchObject({ code: 'invalid_email', field: 'value' });
		expect(await refusal({ list: 'block', kind: 'address', line1: '1 rue X', postcode: '75001', country: 'FRA', reason: 'x' })).toMatchObject({
			code: 'invalid_country',
			field: 'country'
		});
		expect(await refusal({ list: 'block', kind: 'product', value: 'SKU-1', reason: '' })).toMatchObject({ code: 'required', field: 'reason' });
		expect((await countListEntries(t.sql, shopId)).block).toBe(before);
	});

	it('takes the stored spelling of an order number or a SKU, and says when none exists yet', async () => {
		await insertTestOrder(t.sql, shopId, { number: '#5001', lines: [{ title: 'Robe', quantity: 1, unitPrice: 5000 }] });
		const productId = await insertTestProduct(t.sql, shopId, { externalId: 'robe' });
		await t.sql`insert into variants (shop_id, product_id, external_id, sku, title, price_amount, currency)
			values (${shopId}, ${productId}, 'robe-m', 'Robe-M', 'M', 5000, 'EUR')`;

		const order = await addListEntry(t.sql, shopId, { list: 'block', kind: 'order', value: ' 5001 ', reason: 'Claimed not received' }, userId);
		expect(order).toMatchObject({ value: '#5001', label: '5001', known: true });
		const sku = await addListEntry(t.sql, shopId, { list: 'block', kind: 'product', value: 'robe-m', reason: 'Worn once' }, userId);
		expect(sku).toMatchObject({ value: 'Robe-M', label: 'robe-m', known: true });
		const future = await addListEntry(t.sql, shopId, { list: 'allow', kind: 'product', value: 'Gift-Card', reason: 'No risk' }, null);
		expect(future).toMatchObject({ value: 'Gift-Card', known: false, createdByName: null, createdByEmail: null });
		expect(await refusal({ list: 'allow', kind: 'order', value: '#5001', reason: 'x' })).toMatchObject({ code: 'already_listed', existing: { list: 'block' } });
	});
});

describe('listMatches', () => {
	it('finds the entries holding an order: its email, its customer’s, its address, its number, its SKUs', async () => {
		const o = await insertTestOrder(t.sql, shopId, {
			number: 'M-1',
			email: 'Shopper@Example.org',
			lines: [
				{ title: 'Jean', quantity: 1, unitPrice: 8900, sku: 'JEAN-32' },
				{ title: 'Câble', quantity: 1, unitPrice: 1500, sku: 'CABLE' },
				{ title: 'Carte cadeau', quantity: 1, unitPrice: 2000 }
			]
		});
		expect(await listMatches(t.sql, shopId, o.orderId)).toEqual({ blocked: [], allowed: [] });

		// The customer account's email differs from the order's.
		await t.sql`update customers set email = 'Account@Example.org' where id = ${o.customerId}`;
		const add = (input: ListEntryInput) => addListEntry(t.sql, shopId, input, userId);
		const byOrderEmail = await add({ list: 'block', kind: 'email', value: 'shopper@example.org', reason: 'Wardrobing' });
		const byAccount = await add({ list: 'allow', kind: 'email', value: 'account@example.ORG', reason: 'Loyal' });
		const byAddress = await add({ list: 'block', kind: 'address', line1: '2, Rue Test', postcode: '69 001', country: 'FR', reason: 'Ring' });
		const byNumber = await add({ list: 'allow', kind: 'order', value: 'm-1', reason: 'Goodwill' });
		const bySku = await add({ list: 'block', kind: 'product', value: 'JEAN-32', reason: 'Returned worn' });
		await add({ list: 'block', kind: 'product', value: 'OTHER', reason: 'Not in the order' });
		await addListEntry(t.sql, otherShopId, { list: 'block', kind: 'order', value: 'M-1', reason: 'Other shop' }, null);

		const matches = await listMatches(t.sql, shopId, o.orderId);
		expect(matches).toEqual({
			blocked: [
				{ entryId: byOrderEmail.id, kind: 'email', label: 'shopper@example.org', reason: 'Wardrobing' },
				{ entryId: byAddress.id, kind: 'address', label: '2, Rue Test, 69 001 FR', reason: 'Ring' },
				{ entryId: bySku.id, kind: 'product', label: 'JEAN-32', reason: 'Returned worn', sku: 'JEAN-32' }
			],
			allowed: [
				{ entryId: byAccount.id, kind: 'email', label: 'account@example.ORG', reason: 'Loyal' },
				{ entryId: byNumber.id, kind: 'order', label: 'm-1', reason: 'Goodwill' }
			]
		});

		const lines = await t.sql<{ id: string; sku: string | null }[]>`select id, sku from order_lines where order_id = ${o.orderId} order by position`;
		const flags = listFlagsForLines(
			matches,
			lines.map((l) => ({ orderLineId: l.id, sku: l.sku }))
		);
		expect(lines.map((l) => flags.get(l.id))).toEqual([
			{ blocklisted: true, allowlisted: true },
			{ blocklisted: true, allowlisted: true }, // the address and email entries hold every line
			{ blocklisted: true, allowlisted: true }
		]);

		// Only the SKU left on the block list: only its line is blocklisted.
		for (const entry of [byOrderEmail, byAddress]) await removeListEntry(t.sql, shopId, entry.id);
		const onlySku = listFlagsForLines(
			await listMatches(t.sql, shopId, o.orderId),
			lines.map((l) => ({ orderLineId: l.id, sku: l.sku }))
		);
		expect(lines.map((l) => onlySku.get(l.id)?.blocklisted)).toEqual([true, false, false]);
	});

	it('matches nothing for an order of another shop or no order at all', async () => {
		const o = await insertTestOrder(t.sql, otherShopId, { number: 'M-1', lines: [{ title: 'T', quantity: 1, unitPrice: 100 }] });
		expect(await listMatches(t.sql, shopId, o.orderId)).toEqual({ blocked: [], allowed: [] });
		expect((await listMatches(t.sql, otherShopId, o.orderId)).blocked).toHaveLength(1);
		expect(await listMatches(t.sql, shopId, '00000000-0000-4000-8000-000000000000')).toEqual({ blocked: [], allowed: [] });
		expect(await listMatches(t.sql, shopId, 'not-a-uuid')).toEqual({ blocked: [], allowed: [] });
	});
});

describe('listEntries and removeListEntry', () => {
	it('filters by list, kind and text, newest first', async () => {
		const all = await listEntries(t.sql, shopId);
		expect(all.length).toBeGreaterThan(3);
		expect(all.map((e) => e.createdAt.getTime())).toEqual([...all.map((e) => e.createdAt.getTime())].sort((a, b) => b - a));
		expect((await listEntries(t.sql, shopId, { list: 'allow' })).every((e) => e.list === 'allow')).toBe(true);
		expect((await listEntries(t.sql, shopId, { kind: 'product' })).map((e) => e.value).sort()).toEqual(['Gift-Card', 'JEAN-32', 'OTHER', 'Robe-M']);
		expect((await listEntries(t.sql, shopId, { q: 'worn' })).map((e) => e.label).sort()).toEqual(['JEAN-32', 'robe-m']);
		expect(await listEntries(t.sql, shopId, { q: '100%_' })).toEqual([]);
		const counts = await countListEntries(t.sql, shopId);
		expect(counts.block + counts.allow).toBe(all.length);
	});

	it('removes an entry of this shop only', async () => {
		const entry = await addListEntry(t.sql, shopId, { list: 'allow', kind: 'email', value: 'gone@example.com', reason: 'Test' }, userId);
		expect(await removeListEntry(t.sql, otherShopId, entry.id)).toBeNull();
		expect(await removeListEntry(t.sql, shopId, 'nope')).toBeNull();
		expect(await removeListEntry(t.sql, shopId, entry.id)).toEqual({ id: entry.id, list: 'allow', kind: 'email', label: 'gone@example.com' });
		expect(await removeListEntry(t.sql, shopId, entry.id)).toBeNull();
	});
});
