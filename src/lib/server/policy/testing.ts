import { expect } from 'vitest';
import type { Sql } from '../db';
import { insertTestOrder, insertTestProduct } from '../test-fixtures';
import { decideReturn } from './service';
import type { Resolution } from './rules';

/**
 * For tests only. Every path that creates or changes a return (the conversation, the JSON API, staff
 * actions) proves with this that it goes through the policy: it must refuse an ineligible line, a
 * tampered amount and an expired window, write nothing when it does, and accept the honest request.
 *
 *   await provePolicyEnforced(sql, shopId, async (attempt) => {
 *     const res = await POST('/api/v1/returns', toBody(attempt));
 *     return res.ok ? { ok: true } : { ok: false, code: (await res.json()).error.code };
 *   });
 *
 * The shop must have a live policy with a window under 200 days that offers refunds (every new shop does).
 */
export interface PolicyAttempt {
	orderId: string;
	/** For paths that reach the order by its link or number rather than its id. */
	orderNumber: string;
	customerEmail: string;
	lines: { orderLineId: string; quantity: number; reasonCode: string }[];
	resolution: Resolution;
	/** The total the customer was shown, in minor units. */
	expectedTotal: number;
}

export type PolicyPathResult = { ok: true } | { ok: false; code: string };

export interface EnforcementOptions {
	/** The refusal codes the path answers with; the service's by default. */
	codes?: { notEligible: string; tampered: string };
	/** A prefix for the order numbers this helper creates, unique per call within a shop. */
	prefix?: string;
}

const DAY = 86_400_000;

export async function provePolicyEnforced(
	sql: Sql,
	shopId: string,
	path: (attempt: PolicyAttempt) => Promise<PolicyPathResult>,
	options: EnforcementOptions = {}
): Promise<void> {
	const codes = options.codes ?? { notEligible: 'not_eligible', tampered: 'quote_mismatch' };
	const prefix = options.prefix ?? `pe-${Math.random().toString(36).slice(2, 8)}`;
	const finalSale = await insertTestProduct(sql, shopId, { externalId: `${prefix}-final`, category: 'clothing/tops', finalSale: true });
	const jean = await insertTestProduct(sql, shopId, { externalId: `${prefix}-jean`, category: 'clothing/jeans' });

	const make = async (name: string, o: { productId: string; orderedAt?: Date; deliveredAt?: Date; country?: string }) => {
		const number = `${prefix}-${name}`;
		const email = `${number}@example.com`;
		const order = await insertTestOrder(sql, shopId, {
			number,
			email,
			country: o.country ?? 'US',
			orderedAt: o.orderedAt,
			deliveredAt: o.deliveredAt,
			lines: [{ title: name, quantity: 1, unitPrice: 4990, productId: o.productId }]
		});
		const lines = [{ orderLineId: order.lineIds[0], quantity: 1, reasonCode: 'changed_mind' }];
		const decided = await decideReturn(sql, { shopId, orderId: order.orderId, lines, resolution: 'refund' });
		return {
			orderId: order.orderId,
			orderNumber: number,
			customerEmail: email,
			lines,
			resolution: 'refund' as const,
			expectedTotal: decided.quote?.total ?? 4990
		};
	};
	const returnsOf = async (orderId: string) =>
		(await sql<{ n: number }[]>`select count(*)::int as n from returns where shop_id = ${shopId} and order_id = ${orderId}`)[0].n;

	// Outside the EU so the merchant's own rules decide (inside it the 14-day legal floor would apply first).
	const ineligible = await make('final-sale', { productId: finalSale });
	const expired = await make('expired', { productId: jean, orderedAt: new Date(Date.now() - 215 * DAY), deliveredAt: new Date(Date.now() - 210 * DAY) });
	const honest = await make('honest', { productId: jean });
	const tampered = { ...(await make('tampered', { productId: jean })) };
	tampered.expectedTotal += 1_000;

	const cases: [string, PolicyAttempt, PolicyPathResult][] = [
		['an ineligible (final sale) line', ineligible, { ok: false, code: codes.notEligible }],
		['an expired window', expired, { ok: false, code: codes.notEligible }],
		['a tampered amount', tampered, { ok: false, code: codes.tampered }],
		['the honest request', honest, { ok: true }]
	];
	for (const [what, attempt, expected] of cases) {
		const result = await path(attempt);
		expect(result, `the path must answer ${JSON.stringify(expected)} for ${what}`).toEqual(expected);
		expect(await returnsOf(attempt.orderId), `returns written for ${what}`).toBe(expected.ok ? 1 : 0);
	}
}
