import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db/test-db';
import type { Shop } from '../shops/service';
import { makeOrder, makeShop } from './customer-view.fixtures';
import { LOOKUP_LIMITS, lookupOrder, normalizeOrderNumber } from './lookup';

const DAY = 86_400_000;
let t: TestDatabase;
let shop: Shop;
let order: { id: string };
let ip = 0;
/** Each test comes from its own address, so the per-address limit only bites where a test wants it. */
const address = () => `203.0.113.${++ip}`;

beforeAll(async () => {
	t = await createTestDatabase();
	shop = await makeShop(t.sql);
	order = await makeOrder(t.sql, shop, { orderNumber: '4821', email: 'Lea.Dubois@Example.fr' });
});
afterAll(() => t.close());
beforeEach(async () => {
	await t.sql`delete from rate_limits`;
});

describe('normalizeOrderNumber', () => {
	it('drops spaces and a leading hash sign', () => {
		expect(normalizeOrderNumber('  #4821 ')).toBe('4821');
		expect(normalizeOrderNumber('# 4821')).toBe('4821');
		expect(normalizeOrderNumber('MA-4821')).toBe('MA-4821');
	});
});

describe('lookupOrder', () => {
	it('finds the order by number and email', async () => {
		expect(await lookupOrder(t.sql, { orderNumber: '4821', email: 'Lea.Dubois@Example.fr' }, address())).toEqual({
			kind: 'found',
			orderId: order.id
		});
	});

	it('accepts a leading # and any letter case in the email', async () => {
		expect(await lookupOrder(t.sql, { orderNumber: ' #4821', email: ' lea.dubois@example.FR ' }, address())).toEqual({
			kind: 'found',
			orderId: order.id
		});
	});

	it('matches a shop that stores its numbers with the hash sign', async () => {
		const hashed = await makeOrder(t.sql, shop, { orderNumber: '#7001', email: 'hugo@example.com' });
		expect(await lookupOrder(t.sql, { orderNumber: '7001', email: 'hugo@example.com' }, address())).toEqual({ kind: 'found', orderId: hashed.id });
		expect(await lookupOrder(t.sql, { orderNumber: '#7001', email: 'hugo@example.com' }, address())).toEqual({ kind: 'found', orderId: hashed.id });
	});

	it('answers a wrong email exactly as an unknown number', async () => {
		const wrongEmail = await lookupOrder(t.sql, { orderNumber: '4821', email: 'someone@example.fr' }, address());
		const wrongNumber = await lookupOrder(t.sql, { orderNumber: '4822', email: 'lea.dubois@example.fr' }, address());
		const both = await lookupOrder(t.sql, { orderNumber: '9999', email: 'x@example.org' }, address());
		expect(wrongEmail).toEqual({ kind: 'not_found' });
		expect(wrongNumber).toEqual(wrongEmail);
		expect(both).toEqual(wrongEmail);
	});

	it('takes the most recent order when several shops match', async () => {
		const other = await makeShop(t.sql);
		const older = await makeOrder(t.sql, other, { orderNumber: '5555', email: 'ines@example.com', orderedAt: new Date(Date.now() - 40 * DAY) });
		const newer = await makeOrder(t.sql, shop, { orderNumber: '5555', email: 'ines@example.com', orderedAt: new Date(Date.now() - 5 * DAY) });
		const result = await lookupOrder(t.sql, { orderNumber: '5555', email: 'ines@example.com' }, address());
		expect(result).toEqual({ kind: 'found', orderId: newer.id });
		expect(older.id).not.toBe(newer.id);
	});

	it('names missing or malformed fields without looking anything up', async () => {
		expect(await lookupOrder(t.sql, { orderNumber: ' # ', email: '' }, address())).toEqual({
			kind: 'invalid',
			errors: { orderNumber: 'required', email: 'required' }
		});
		expect(await lookupOrder(t.sql, { orderNumber: '4821', email: 'not-an-email' }, address())).toEqual({
			kind: 'invalid',
			errors: { email: 'invalid' }
		});
		const [{ count }] = await t.sql<{ count: number }[]>`select count(*)::int as count from rate_limits`;
		expect(count).toBe(0);
	});

	it('limits attempts per client address', async () => {
		const from = address();
		for (let i = 0; i < LOOKUP_LIMITS.perAddress.limit; i++) {
			const r = await lookupOrder(t.sql, { orderNumber: String(100 + i), email: 'guess@example.com' }, from);
			expect(r.kind).toBe('not_found');
		}
		const refused = await lookupOrder(t.sql, { orderNumber: '4821', email: 'lea.dubois@example.fr' }, from);
		expect(refused.kind).toBe('rate_limited');
		if (refused.kind === 'rate_limited') {
			expect(refused.retryAfterSeconds).toBeGreaterThan(0);
			expect(refused.retryAfterSeconds).toBeLessThanOrEqual(LOOKUP_LIMITS.perAddress.windowSeconds);
		}
		// another address is not affected
		expect((await lookupOrder(t.sql, { orderNumber: '4821', email: 'lea.dubois@example.fr' }, address())).kind).toBe('found');
	});

	it('limits attempts per order number across addresses, until the window passes', async () => {
		const now = new Date();
		for (let i = 0; i < LOOKUP_LIMITS.perOrderNumber.limit; i++) {
			expect((await lookupOrder(t.sql, { orderNumber: '#4821', email: `guess${i}@example.com` }, address(), now)).kind).toBe('not_found');
		}
		const refused = await lookupOrder(t.sql, { orderNumber: '4821', email: 'lea.dubois@example.fr' }, address(), now);
		expect(refused.kind).toBe('rate_limited');
		const later = new Date(now.getTime() + (LOOKUP_LIMITS.perOrderNumber.windowSeconds + 1) * 1000);
		expect((await lookupOrder(t.sql, { orderNumber: '4821', email: 'lea.dubois@example.fr' }, address(), later)).kind).toBe('found');
	});

	it('limits attempts per email across addresses and order numbers', async () => {
		const email = 'target.customer@example.com';
		for (let i = 0; i < LOOKUP_LIMITS.perEmail.limit; i++) {
			expect((await lookupOrder(t.sql, { orderNumber: String(7000 + i), email }, address())).kind).toBe('not_found');
		}
		expect((await lookupOrder(t.sql, { orderNumber: '7999', email: email.toUpperCase() }, address())).kind).toBe('rate_limited');
	});

	it('counts a whole IPv6 /64 as one client', async () => {
		for (let i = 0; i < LOOKUP_LIMITS.perAddress.limit; i++) {
			const r = await lookupOrder(t.sql, { orderNumber: String(8000 + i), email: `v6-${i}@example.com` }, `2001:db8:42:7::${i + 1}`);
			expect(r.kind).toBe('not_found');
		}
		const refused = await lookupOrder(t.sql, { orderNumber: '8999', email: 'v6-x@example.com' }, '2001:db8:42:7:ffff::9');
		expect(refused.kind).toBe('rate_limited');
	});
});
