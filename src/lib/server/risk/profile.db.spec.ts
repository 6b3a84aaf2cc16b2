import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db/test-db';
import { createTestShop } from '../test-fixtures';
import { factsAt, historyIndex } from './eval/facts';
import { generateHistory, WINDOW_DAYS } from './eval/history';
import { loadHistory } from './eval/load';
import { forgetHighValues, loadRiskProfile, riskLines } from './queries';

/**
 * The profile read from the database is the profile the evaluation scores: a generated history written into a
 * shop, then every return's facts read both ways as of the moment it was asked for.
 */

let t: TestDatabase;
let shopId: string;
const h = generateHistory({ seed: 11, customers: 600 });
let id: (simId: string) => string;

beforeAll(async () => {
	t = await createTestDatabase();
	shopId = (await createTestShop(t.sql, 'risk-profile')).id;
	({ id } = await loadHistory(t.sql, shopId, h));
	forgetHighValues();
}, 120_000);
afterAll(() => t?.close());

describe('the risk profile queries', () => {
	it('read the same facts as the evaluation, for every return, as of its moment', async () => {
		const ix = historyIndex(h);
		// Every return of the history's abusive customers and of linked accounts, and a sample of the others.
		const chosen = h.returns.filter((r, i) => r.abusive || i % 4 === 0);
		expect(chosen.length).toBeGreaterThan(100);
		let linked = 0;
		let mismatches = 0;
		for (const r of chosen) {
			const expected = factsAt(ix, r, WINDOW_DAYS);
			const profile = await loadRiskProfile(t.sql, { shopId, customerId: id(r.customerId), currency: 'EUR', at: r.requestedAt, windowDays: WINDOW_DAYS });
			expect({ return: r.id, history: profile.history, linked: profile.linked }).toEqual({ return: r.id, history: expected.history, linked: expected.linked });
			expect(profile.highValue).toBe(expected.highValue);
			if (expected.linked.accounts > 0) linked++;
			if (expected.history.mismatchUnits > 0) mismatches++;
		}
		// The comparison covered what matters, not only empty profiles.
		expect(linked).toBeGreaterThan(3);
		expect(mismatches).toBeGreaterThan(3);
	}, 120_000);

	it('tell the lines of a bracket apart from the rest of the order', () => {
		const lines = [
			{ id: 'a', product_id: 'jean', unit_price_amount: 7900, category: 'clothing/jeans', tags: [] },
			{ id: 'b', product_id: 'jean', unit_price_amount: 7900, category: 'clothing/jeans', tags: [] },
			{ id: 'c', product_id: 'jean', unit_price_amount: 7900, category: 'clothing/jeans', tags: [] },
			{ id: 'd', product_id: 'dress', unit_price_amount: 25000, category: 'clothing/occasion', tags: ['occasion'] }
		];
		expect(riskLines(lines, [
			{ orderLineId: 'a', quantity: 1, reasonCode: 'too_small' },
			{ orderLineId: 'b', quantity: 1, reasonCode: 'too_large' },
			{ orderLineId: 'd', quantity: 1, reasonCode: 'changed_mind' }
		])).toEqual([
			{ unitPrice: 7900, quantity: 1, category: 'clothing/jeans', occasion: false, reason: 'too_small', siblings: 3, siblingsReturned: 2 },
			{ unitPrice: 7900, quantity: 1, category: 'clothing/jeans', occasion: false, reason: 'too_large', siblings: 3, siblingsReturned: 2 },
			{ unitPrice: 25000, quantity: 1, category: 'clothing/occasion', occasion: true, reason: 'changed_mind', siblings: 1, siblingsReturned: 1 }
		]);
	});
});
