import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestMember } from '../auth/test-support';
import { createTestDatabase, type TestDatabase } from '../db/test-db';
import { createTestShop, insertTestOrder } from '../test-fixtures';
import { ClaimError, CLAIM_NOTE_MAX_LENGTH, listOrderClaims, recordNotReceivedClaim } from './claims';

let t: TestDatabase;
let shopId: string;
let otherShopId: string;
let userId: string;

beforeAll(async () => {
	t = await createTestDatabase();
	shopId = (await createTestShop(t.sql, 'claims')).id;
	otherShopId = (await createTestShop(t.sql, 'claims-other')).id;
	userId = (await createTestMember(t.sql, shopId, 'staff', 'ines@claims.example', { name: 'Inès' })).id;
});
afterAll(() => t?.close());

async function refusal(promise: Promise<unknown>) {
	try {
		await promise;
	} catch (e) {
		if (e instanceof ClaimError) return e.code;
		throw e;
	}
	throw new Error('expected a refusal');
}

describe('"item not received" claims', () => {
	it('records a claim for the order’s customer with who recorded it, and lists it', async () => {
		const o = await insertTestOrder(t.sql, shopId, { number: 'NR-1', lines: [{ title: 'Casque', quantity: 1, unitPrice: 8900 }] });
		const claim = await recordNotReceivedClaim(t.sql, { shopId, orderId: o.orderId, note: '  Tracking says delivered, customer says no  ' }, userId);
		expect(claim).toEqual({
			id: expect.any(String),
			orderId: o.orderId,
			customerId: o.customerId,
			kind: 'not_received',
			note: 'Tracking says delivered, customer says no',
			createdBy: { id: userId, name: 'Inès', email: 'ines@claims.example' },
			createdAt: expect.any(Date)
		});
		expect(await listOrderClaims(t.sql, shopId, o.orderId)).toEqual([claim]);
		expect(await listOrderClaims(t.sql, otherShopId, o.orderId)).toEqual([]);
	});

	it('keeps one claim per order, and refuses another shop’s order or a note too long, writing nothing', async () => {
		const o = await insertTestOrder(t.sql, shopId, { number: 'NR-2', lines: [{ title: 'Casque', quantity: 1, unitPrice: 8900 }] });
		expect(await refusal(recordNotReceivedClaim(t.sql, { shopId, orderId: o.orderId, note: 'x'.repeat(CLAIM_NOTE_MAX_LENGTH + 1) }, userId))).toBe('note_too_long');
		expect(await refusal(recordNotReceivedClaim(t.sql, { shopId: otherShopId, orderId: o.orderId }, userId))).toBe('order_not_found');
		expect(await refusal(recordNotReceivedClaim(t.sql, { shopId, orderId: 'not-an-id' }, userId))).toBe('order_not_found');
		expect(await listOrderClaims(t.sql, shopId, o.orderId)).toEqual([]);

		const first = await recordNotReceivedClaim(t.sql, { shopId, orderId: o.orderId, note: '   ' }, userId);
		expect(first.note).toBeNull();
		expect(await refusal(recordNotReceivedClaim(t.sql, { shopId, orderId: o.orderId, note: 'Again' }, userId))).toBe('already_claimed');
		expect(await listOrderClaims(t.sql, shopId, o.orderId)).toHaveLength(1);
	});
});
