import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db/test-db';
import { createReturn, transitionReturn } from '../returns/service';
import { calendarDaysAgo, createTestShop, insertTestOrder, insertTestProduct } from '../test-fixtures';
import { DEFAULT_POLICY } from './defaults';
import { loadPastReturns } from './history';
import { livePolicy } from './versions';
import { previewOnOrder, simulateAgainstLive } from './workbench';

let t: TestDatabase;
let shopId: string;
const now = new Date();
const daysAgo = (n: number) => calendarDaysAgo(n);
const customer = { kind: 'customer' as const, id: null };

beforeAll(async () => {
	t = await createTestDatabase();
	shopId = (await createTestShop(t.sql, 'workbench')).id;
	// One customer in the US (no legal floor): an order of two jeans, delivered 60 days ago, returned in two goes;
	// a second order delivered 40 days ago, returned 20 days after delivery; a cancelled return left out.
	const email = 'history@example.com';
	const a = await insertTestOrder(t.sql, shopId, {
		number: 'H-1',
		email,
		country: 'US',
		shipping: 500,
		orderedAt: daysAgo(63),
		deliveredAt: daysAgo(60),
		lines: [{ title: 'Jean', quantity: 2, unitPrice: 8000 }]
	});
	await createReturn(t.sql, { shopId, orderId: a.orderId, channel: 'customer', requestedAt: daysAgo(55), lines: [{ orderLineId: a.lineIds[0], quantity: 1, reasonCode: 'too_small' }] }, customer);
	await createReturn(t.sql, { shopId, orderId: a.orderId, channel: 'customer', requestedAt: daysAgo(35), lines: [{ orderLineId: a.lineIds[0], quantity: 1, reasonCode: 'too_small' }] }, customer);
	const b = await insertTestOrder(t.sql, shopId, {
		number: 'H-2',
		email,
		country: 'US',
		orderedAt: daysAgo(42),
		deliveredAt: daysAgo(40),
		lines: [{ title: 'Top', quantity: 1, unitPrice: 3000, productId: await insertTestProduct(t.sql, shopId, { externalId: 'top', category: 'clothing/tops', tags: ['summer'] }) }]
	});
	await createReturn(t.sql, { shopId, orderId: b.orderId, channel: 'customer', requestedAt: daysAgo(20), lines: [{ orderLineId: b.lineIds[0], quantity: 1, reasonCode: 'changed_mind', requestedResolution: 'store_credit' }] }, customer);
	const c = await insertTestOrder(t.sql, shopId, { number: 'H-3', email, country: 'US', orderedAt: daysAgo(12), deliveredAt: daysAgo(10), lines: [{ title: 'Robe', quantity: 1, unitPrice: 5000 }] });
	const cancelled = await createReturn(t.sql, { shopId, orderId: c.orderId, channel: 'customer', requestedAt: daysAgo(5), lines: [{ orderLineId: c.lineIds[0], quantity: 1, reasonCode: 'changed_mind' }] }, customer);
	await transitionReturn(t.sql, { shopId, returnId: cancelled.id, machine: 'decision', to: 'cancelled', at: daysAgo(5) }, customer);
});
afterAll(() => t.close());

describe('past returns as the engine saw them', () => {
	it('rebuilds each return’s facts at the time it was asked for', async () => {
		const past = await loadPastReturns(t.sql, shopId, daysAgo(365));
		expect(past).toHaveLength(3); // the cancelled one is left out
		const facts = past.map((r) => {
			const f = r.lines[0].facts;
			return [f.daysSinceDelivery, f.customerReturnCount, f.customerReturnRateBasisPoints, f.quantityLeft, r.lines[0].quote.alreadyReturned, f.wholeOrder, r.takenResolution];
		});
		expect(facts).toEqual([
			// 5 days after delivery, no earlier return, nothing returned of the 2 units ordered so far.
			[5, 0, 0, 2, 0, false, 'refund'],
			// 25 days after, one earlier return: 1 of the 3 units ordered by then, one unit of the line already back.
			[25, 1, 3333, 1, 1, true, 'refund'], // with it every unit of the order is back
			// 20 days after, two earlier returns, 2 of 3 units ordered by then.
			[20, 2, 6667, 1, 0, true, 'store_credit']
		]);
		expect(past[0].outboundShipping).toBe(500);
		expect([past[0].lines[0].facts.category, past[2].lines[0].facts.category, past[2].lines[0].facts.tags]).toEqual([null, 'clothing/tops', ['summer']]);
		expect(past[0].lines[0].quote.paidAmount).toBe(16_000);
		expect((await loadPastReturns(t.sql, shopId, daysAgo(30)))).toHaveLength(1);
	});

	it('simulates a shorter window beside the live policy', async () => {
		const draft = { ...DEFAULT_POLICY, defaults: { ...DEFAULT_POLICY.defaults, windowDays: 21 } };
		const sim = await simulateAgainstLive(t.sql, shopId, draft, 12, now);
		expect(sim.live.number).toBe(1);
		expect(sim.comparison.returns).toBe(3);
		expect(sim.comparison.active.eligibility).toEqual({ eligible: 3, needs_review: 0, not_eligible: 0 });
		expect(sim.comparison.draft.eligibility).toEqual({ eligible: 2, needs_review: 0, not_eligible: 1 });
		expect(sim.comparison.becameNotEligible.examples.map((e) => e.explanation)).toEqual([
			'Not eligible: delivered 25 days ago, after the 21-day window.'
		]);
		expect(sim.comparison.active.currencies.EUR.refunded).toBe(16_000);
		expect(sim.comparison.draft.currencies.EUR.refunded).toBe(8000);
	});

	it('previews a version on one order, with a quote per resolution in the policy’s order', async () => {
		const live = await livePolicy(t.sql, shopId);
		const o = await insertTestOrder(t.sql, shopId, { number: 'P-1', country: 'US', lines: [{ title: 'Chemise', quantity: 1, unitPrice: 4500 }] });
		const preview = await previewOnOrder(t.sql, shopId, { versionId: live.versionId, policy: live.policy }, '#p-1', 'changed_mind');
		if (typeof preview === 'string') throw new Error(preview);
		expect(preview.order.id).toBe(o.orderId);
		expect(preview.lines[0].decision.eligibility).toBe('eligible');
		expect(preview.quotes.map((q) => [q.resolution, q.quote.total])).toEqual([
			['fix', 0],
			['exchange_variant', 4500],
			['exchange_product', 4500],
			['store_credit', 4500],
			['refund', 4500]
		]);
		expect(await previewOnOrder(t.sql, shopId, { versionId: live.versionId, policy: live.policy }, 'nope', 'changed_mind')).toBe('not_found');
		expect(await previewOnOrder(t.sql, shopId, { versionId: live.versionId, policy: live.policy }, 'H-1', 'changed_mind')).toBe('nothing_left');
	});
});
