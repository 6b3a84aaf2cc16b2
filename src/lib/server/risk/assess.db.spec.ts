import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db/test-db';
import { listEvents } from '../returns/events';
import { createReturn } from '../returns/service';
import { createTestShop, insertTestOrder } from '../test-fixtures';
import { getRiskAssessment } from './assessments';
import { addListEntry } from './lists';
import { loadPastReturns } from '../policy/history';
import { RISK_THRESHOLDS } from './score';

/** Every return is scored when it is made, from what was known then, and the shop's default policy acts on it. */

let t: TestDatabase;
let shopId: string;
const DAY = 86_400_000;
const customer = { kind: 'customer' as const, id: 'c' };

beforeAll(async () => {
	t = await createTestDatabase();
	shopId = (await createTestShop(t.sql, 'risk-assess')).id;
});
afterAll(() => t?.close());

/** A past order of `email` whose return came back, inspected as `condition`. */
async function pastReturn(email: string, number: string, condition: 'new' | 'missing' | 'wrong_item') {
	const o = await insertTestOrder(t.sql, shopId, {
		number,
		email,
		lines: [{ title: 'Console', quantity: 1, unitPrice: 49_900 }],
		orderedAt: new Date(Date.now() - 90 * DAY),
		deliveredAt: new Date(Date.now() - 86 * DAY)
	});
	const [r] = await t.sql`
		insert into returns (shop_id, order_id, customer_id, rma, reception_status, decision_status, channel, currency, requested_at)
		values (${shopId}, ${o.orderId}, ${o.customerId}, ${'R-' + number.padStart(4, '0').slice(-4) + '-PAST'}, 'received', 'accepted', 'import', 'EUR', ${new Date(Date.now() - 80 * DAY)})
		returning id`;
	const [line] = await t.sql`
		insert into return_lines (shop_id, return_id, order_line_id, quantity, reason_code)
		values (${shopId}, ${r.id}, ${o.lineIds[0]}, 1, 'defective') returning id`;
	await t.sql`
		insert into return_line_inspections (return_line_id, shop_id, return_id, condition, disposition, stops_refund, inspected_at)
		values (${line.id}, ${shopId}, ${r.id}, ${condition}, ${condition === 'missing' ? null : 'discard'}, ${condition !== 'new'}, ${new Date(Date.now() - 70 * DAY)})`;
}

const newOrder = (number: string, email: string, deliveredDaysAgo = 5) =>
	insertTestOrder(t.sql, shopId, {
		number,
		email,
		lines: [{ title: 'Headphones', quantity: 1, unitPrice: 12_900 }],
		orderedAt: new Date(Date.now() - (deliveredDaysAgo + 3) * DAY),
		deliveredAt: new Date(Date.now() - deliveredDaysAgo * DAY)
	});

describe('scoring a return when it is made', () => {
	it('accepts an ordinary first return at once, with a low score stored and told in its history', async () => {
		const o = await newOrder('1001', 'honest@example.com');
		const r = await createReturn(t.sql, { shopId, orderId: o.orderId, channel: 'customer', lines: [{ orderLineId: o.lineIds[0], quantity: 1, reasonCode: 'too_small' }] }, customer);
		expect(r.decisionStatus).toBe('accepted');
		const a = await getRiskAssessment(t.sql, shopId, r.id);
		expect(a).toMatchObject({ score: 0, level: 'low', signals: [], scorer: 'risk-1' });
		const events = await listEvents(t.sql, shopId, r.id);
		expect(events.find((e) => e.type === 'return.risk_assessed')).toMatchObject({ actorKind: 'system', payload: { score: 0, level: 'low' } });
	});

	it('sends a customer whose earlier boxes came back empty to a person, with the refund held for inspection', async () => {
		await pastReturn('empty@example.com', '2001', 'missing');
		await pastReturn('empty@example.com', '2002', 'wrong_item');
		// Delivered 20 days ago: past the EU's 14 days, where the law lets a refund wait only for the parcel's first scan.
		const o = await newOrder('2003', 'empty@example.com', 20);
		const r = await createReturn(t.sql, { shopId, orderId: o.orderId, channel: 'customer', lines: [{ orderLineId: o.lineIds[0], quantity: 1, reasonCode: 'defective' }] }, customer);
		expect(r.decisionStatus).toBe('needs_review');
		const a = (await getRiskAssessment(t.sql, shopId, r.id))!;
		expect(a.score).toBeGreaterThanOrEqual(RISK_THRESHOLDS.review);
		expect(a.signals[0]).toMatchObject({ code: 'past_mismatch', params: { units: 2, inspected: 2 } });
		expect(a.profile.history).toMatchObject({ returns: 2, inspectedUnits: 2, mismatchUnits: 2 });
		const [row] = await t.sql`select refund_timing from returns where id = ${r.id}`;
		expect(row.refund_timing).toBe('after_inspection');
		// The review's reason cites the policy rule, never the customer.
		const created = (await listEvents(t.sql, shopId, r.id)).find((e) => e.type === 'return.created')!;
		expect(JSON.stringify(created.payload)).toContain('risk-review');
	});

	it('links an account to another sharing its address, and weighs what came back there', async () => {
		// insertTestOrder ships every order to the same street: this new account shares it with the one above.
		const o = await newOrder('3001', 'newcomer@example.com');
		const r = await createReturn(t.sql, { shopId, orderId: o.orderId, channel: 'customer', lines: [{ orderLineId: o.lineIds[0], quantity: 1, reasonCode: 'changed_mind' }] }, customer);
		const a = (await getRiskAssessment(t.sql, shopId, r.id))!;
		expect(a.signals.map((s) => s.code)).toContain('linked_mismatch');
		expect(a.profile.linked.mismatchUnits).toBe(2);
		expect(r.decisionStatus).not.toBe('rejected');
	});

	it('within the EU’s 14 days, reviews an ordinary return but holds its refund no later than the first scan', async () => {
		const o = await newOrder('2005', 'empty@example.com', 4);
		const r = await createReturn(t.sql, { shopId, orderId: o.orderId, channel: 'customer', lines: [{ orderLineId: o.lineIds[0], quantity: 1, reasonCode: 'defective' }] }, customer);
		expect(r.decisionStatus).toBe('needs_review');
		const [row] = await t.sql`select refund_timing from returns where id = ${r.id}`;
		expect(row.refund_timing).toBe('at_drop_off');
	});

	it('never reviews a withdrawal nor holds its refund past the parcel’s first scan, whatever the score', async () => {
		const o = await newOrder('2004', 'empty@example.com', 3);
		const r = await createReturn(
			t.sql,
			{ shopId, orderId: o.orderId, channel: 'customer', isWithdrawal: true, lines: [{ orderLineId: o.lineIds[0], quantity: 1, reasonCode: 'withdrawal' }] },
			customer
		);
		const a = (await getRiskAssessment(t.sql, shopId, r.id))!;
		expect(a.score).toBeGreaterThanOrEqual(RISK_THRESHOLDS.review);
		expect(r.decisionStatus).toBe('accepted');
		const [row] = await t.sql`select refund_timing from returns where id = ${r.id}`;
		expect(row.refund_timing).toBe('at_drop_off');
	});

	it('trusts a customer on the allow list whatever the score, and sends one on the block list to a person', async () => {
		await pastReturn('trusted@example.com', '4001', 'missing');
		await pastReturn('trusted@example.com', '4002', 'missing');
		await addListEntry(t.sql, shopId, { list: 'allow', kind: 'email', value: 'Trusted@Example.com', reason: 'Our wholesale buyer: parcels are checked on their side' }, null);
		const o = await newOrder('4003', 'trusted@example.com', 20);
		const r = await createReturn(t.sql, { shopId, orderId: o.orderId, channel: 'customer', lines: [{ orderLineId: o.lineIds[0], quantity: 1, reasonCode: 'defective' }] }, customer);
		expect((await getRiskAssessment(t.sql, shopId, r.id))!.level).toBe('high');
		expect(r.decisionStatus).toBe('accepted');

		await addListEntry(t.sql, shopId, { list: 'block', kind: 'order', value: '5001', reason: 'Chargeback opened on this order' }, null);
		const blocked = await newOrder('5001', 'blocked@example.com', 20);
		const b = await createReturn(t.sql, { shopId, orderId: blocked.orderId, channel: 'customer', lines: [{ orderLineId: blocked.lineIds[0], quantity: 1, reasonCode: 'too_small' }] }, customer);
		expect(b.decisionStatus).toBe('needs_review');
		const created = (await listEvents(t.sql, shopId, b.id)).find((e) => e.type === 'return.created')!;
		expect(JSON.stringify(created.payload)).toContain('block-list');
	});

	it('tells the team once, in English and French, why a return of several lines held by one rule waits for them', async () => {
		await addListEntry(t.sql, shopId, { list: 'block', kind: 'order', value: '5002', reason: 'Chargeback opened on this order' }, null);
		const o = await insertTestOrder(t.sql, shopId, {
			number: '5002',
			email: 'two-lines@example.com',
			lines: [
				{ title: 'Jean', quantity: 1, unitPrice: 8_900 },
				{ title: 'Chemise', quantity: 1, unitPrice: 4_900 }
			],
			orderedAt: new Date(Date.now() - 8 * DAY),
			deliveredAt: new Date(Date.now() - 5 * DAY)
		});
		const r = await createReturn(
			t.sql,
			{
				shopId,
				orderId: o.orderId,
				channel: 'customer',
				lines: o.lineIds.map((orderLineId) => ({ orderLineId, quantity: 1, reasonCode: 'too_small' }))
			},
			customer
		);
		expect(r.decisionStatus).toBe('needs_review');
		const moved = (await listEvents(t.sql, shopId, r.id)).find((e) => e.type === 'return.decision_changed' && e.payload.to === 'needs_review')!;
		const explanation = moved.payload.explanation as { en: string; fr: string };
		// Both lines were held by the same rule: its sentence is written once, not once per line.
		expect(explanation.en).toBe('To be reviewed: the shop reviews returns like this one.');
		expect(explanation.fr).toMatch(/^[^.]+\.$/);
		expect(explanation.fr).not.toBe(explanation.en);
		expect(moved.payload.reason).toBe(explanation.en);
	});

	it('lets the policy simulation read each past return with the score it was made with, and the return limits', async () => {
		const past = await loadPastReturns(t.sql, shopId, new Date(Date.now() - 365 * DAY));
		const stored = await t.sql<{ return_id: string; score: number }[]>`select return_id, score from return_risk_assessments where shop_id = ${shopId}`;
		expect(stored.length).toBeGreaterThan(5);
		for (const row of stored) expect(past.find((p) => p.returnId === row.return_id)!.lines[0].facts.riskScore).toBe(row.score);
		// The imported history has none; the customer's later returns count the earlier ones of the month.
		const imported = past.filter((p) => !stored.some((row) => row.return_id === p.returnId));
		expect(imported.every((p) => p.lines[0].facts.riskScore === null)).toBe(true);
		expect(Math.max(...past.map((p) => p.lines[0].facts.customerReturnsLast30Days ?? 0))).toBeGreaterThanOrEqual(2);
	});
});
