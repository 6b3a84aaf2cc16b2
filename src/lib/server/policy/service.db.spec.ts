import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../db/connect';
import { createTestDatabase, realPostgres, type TestDatabase } from '../db/test-db';
import { listOrderReturns } from '../orders/queries';
import { listEvents } from '../returns/events';
import { createReturn, ReturnError, transitionReturn, type NewReturn } from '../returns/service';
import { createTestShop, insertTestOrder, insertTestProduct } from '../test-fixtures';
import { DEFAULT_POLICY } from './defaults';
import { PolicyRefusal } from './decide';
import { decideReturn } from './service';
import { provePolicyEnforced } from './testing';
import { activatePolicyVersion, livePolicy, savePolicyVersion } from './versions';

let t: TestDatabase;
let shopId: string;
const DAY = 86_400_000;
const customer = { kind: 'customer' as const, id: null };

beforeAll(async () => {
	t = await createTestDatabase();
	shopId = (await createTestShop(t.sql, 'policy-service')).id;
});
afterAll(() => t.close());

const daysAgo = (n: number) => new Date(Date.now() - n * DAY);

describe('the policy entry point', () => {
	it('createReturn goes through it: refuses an ineligible line, a tampered amount and an expired window', async () => {
		await provePolicyEnforced(t.sql, shopId, async (a) => {
			try {
				await createReturn(
					t.sql,
					{
						shopId,
						orderId: a.orderId,
						channel: 'customer',
						resolution: a.resolution,
						expectedTotal: a.expectedTotal,
						lines: a.lines.map((l) => ({ ...l, requestedResolution: 'refund' }))
					},
					customer
				);
				return { ok: true };
			} catch (error) {
				if (error instanceof PolicyRefusal || error instanceof ReturnError) return { ok: false, code: error.code };
				throw error;
			}
		});
	});

	it('reads the facts from the order: days since delivery, the window, in words for the customer', async () => {
		const o = await insertTestOrder(t.sql, shopId, {
			number: 'facts-1',
			country: 'US',
			orderedAt: daysAgo(15),
			deliveredAt: daysAgo(12),
			lines: [{ title: 'Jean', quantity: 1, unitPrice: 8900 }]
		});
		const d = await decideReturn(t.sql, { shopId, orderId: o.orderId, lines: [{ orderLineId: o.lineIds[0], quantity: 1, reasonCode: 'too_small' }] });
		expect(d.eligibility).toBe('eligible');
		expect(d.lines[0].decision.explanation).toEqual({
			en: 'Eligible: delivered 12 days ago, within the 30-day window.',
			fr: 'Éligible : livré il y a 12 jours, dans le délai de 30 jours.'
		});
		expect(d.policyVersionId).toBe((await livePolicy(t.sql, shopId)).versionId);
		expect(d.quote).toBeNull();
	});

	it('records the version and the quote on the return, and the decision in its first event', async () => {
		const o = await insertTestOrder(t.sql, shopId, {
			number: 'record-1',
			lines: [
				{ title: 'Jean', quantity: 2, unitPrice: 8900, discount: 1000 },
				{ title: 'Ceinture', quantity: 1, unitPrice: 2500 }
			]
		});
		const r = await createReturn(
			t.sql,
			{ shopId, orderId: o.orderId, channel: 'customer', lines: [{ orderLineId: o.lineIds[0], quantity: 1, reasonCode: 'too_small', requestedResolution: 'refund' }] },
			customer
		);
		expect(r.policyVersionId).toBe((await livePolicy(t.sql, shopId)).versionId);
		// Half of what was paid for the line after its discount: (2 × 89.00 − 10.00) / 2.
		expect(r.quote).toEqual({ resolution: 'refund', currency: 'EUR', lines: [{ orderLineId: o.lineIds[0], quantity: 1, amount: 8400 }], fees: [], bonus: 0, shipping: 0, total: 8400 });
		const [created] = await listEvents(t.sql, shopId, r.id);
		expect(created.payload.policy).toMatchObject({ versionId: r.policyVersionId, eligibility: 'eligible', quote: { total: 8400 } });
		// Staff see it on the order: the version, and the decision in words.
		const [listed] = await listOrderReturns(t.sql, shopId, o.orderId);
		expect(listed.policyVersion).toBe(1);
		expect(listed.lines[0].explanation?.en).toMatch(/^Eligible: delivered 5 days ago, within the 30-day window/);
	});

	it('refunds the outbound delivery on an EU withdrawal of the whole order, with no restocking fee', async () => {
		const v = await savePolicyVersion(
			t.sql,
			shopId,
			{ ...DEFAULT_POLICY, defaults: { ...DEFAULT_POLICY.defaults, restockingFeeBasisPoints: 1500, windowDays: 7 } },
			{ userId: null, email: 'owner@example.com' }
		);
		await activatePolicyVersion(t.sql, shopId, v.id, { userId: null, email: 'owner@example.com' });
		try {
			const o = await insertTestOrder(t.sql, shopId, {
				number: 'withdraw-1',
				orderedAt: daysAgo(13),
				deliveredAt: daysAgo(10),
				shipping: 590,
				lines: [{ title: 'Robe', quantity: 1, unitPrice: 12000 }]
			});
			const r = await createReturn(
				t.sql,
				{ shopId, orderId: o.orderId, channel: 'customer', isWithdrawal: true, lines: [{ orderLineId: o.lineIds[0], quantity: 1, reasonCode: 'withdrawal' }] },
				customer
			);
			// The 7-day window and the 15 % fee do not apply within the 14-day withdrawal period.
			expect(r.quote).toMatchObject({ fees: [], shipping: 590, total: 12_590 });
			expect(r.policyVersionId).toBe(v.id);
		} finally {
			await activatePolicyVersion(t.sql, shopId, await firstVersion(), { userId: null, email: 'owner@example.com' });
		}
	});

	it('refunds the delivery once with the withdrawal that completes the order, even in two parcels', async () => {
		const o = await insertTestOrder(t.sql, shopId, {
			number: 'withdraw-2',
			orderedAt: daysAgo(6),
			deliveredAt: daysAgo(4),
			shipping: 590,
			lines: [
				{ title: 'Robe', quantity: 1, unitPrice: 12_000 },
				{ title: 'Ceinture', quantity: 1, unitPrice: 2500 }
			]
		});
		const withdraw = (line: string) =>
			createReturn(t.sql, { shopId, orderId: o.orderId, channel: 'customer', lines: [{ orderLineId: line, quantity: 1, reasonCode: 'withdrawal' }] }, customer);
		const first = await withdraw(o.lineIds[0]);
		expect(first.isWithdrawal).toBe(true); // the reason alone makes it one
		expect(first.quote).toMatchObject({ shipping: 0, total: 12_000 });
		const second = await withdraw(o.lineIds[1]);
		expect(second.quote).toMatchObject({ shipping: 590, total: 2500 + 590 });
	});

	it('pays a line exactly what was paid for it across returns, even when one in between is cancelled', async () => {
		const o = await insertTestOrder(t.sql, shopId, { number: 'thirds-1', lines: [{ title: 'Chaussettes', quantity: 3, unitPrice: 1000, discount: 1 }] });
		const one = () =>
			createReturn(t.sql, { shopId, orderId: o.orderId, channel: 'customer', lines: [{ orderLineId: o.lineIds[0], quantity: 1, reasonCode: 'changed_mind' }] }, customer);
		const first = await one(); // 3 × 10.00 − 0.01 = 29.99 paid
		const second = await one();
		await transitionReturn(t.sql, { shopId, returnId: first.id, machine: 'decision', to: 'cancelled' }, customer);
		const third = await one();
		const fourth = await one();
		const amounts = [second, third, fourth].map((r) => r.quote!.lines[0].amount);
		expect(amounts.reduce((a, b) => a + b, 0)).toBe(2999);
	});

	it('sends the return to review when a rule says so, as the system, with the reason', async () => {
		const shop = (await createTestShop(t.sql, 'policy-review')).id;
		const v = await savePolicyVersion(
			t.sql,
			shop,
			{ ...DEFAULT_POLICY, rules: [{ id: 'pricey', name: 'Expensive items', when: { unitPrice: { min: 50_000 } }, then: { eligibility: 'needs_review' } }] },
			{ userId: null, email: 'owner@example.com' }
		);
		await activatePolicyVersion(t.sql, shop, v.id, { userId: null, email: 'owner@example.com' });
		const o = await insertTestOrder(t.sql, shop, { number: 'review-1', country: 'US', lines: [{ title: 'Manteau', quantity: 1, unitPrice: 65_000 }] });
		const r = await createReturn(t.sql, { shopId: shop, orderId: o.orderId, channel: 'customer', lines: [{ orderLineId: o.lineIds[0], quantity: 1, reasonCode: 'changed_mind' }] }, customer);
		expect(r.decisionStatus).toBe('needs_review');
		const events = await listEvents(t.sql, shop, r.id);
		expect(events.map((e) => [e.type, e.actorKind])).toEqual([
			['return.created', 'customer'],
			['return.risk_assessed', 'system'],
			['return.decision_changed', 'system']
		]);
		expect(events[2].payload).toMatchObject({ to: 'needs_review', reason: 'To be reviewed: the shop reviews returns like this one.' });
	});

	it('lets an item be kept only under the threshold, and leaves imported history undecided', async () => {
		const o = await insertTestOrder(t.sql, shopId, { number: 'keep-1', lines: [{ title: 'Câble', quantity: 1, unitPrice: 1500 }] });
		const keep: NewReturn = {
			shopId,
			orderId: o.orderId,
			channel: 'customer',
			receptionStatus: 'not_required',
			lines: [{ orderLineId: o.lineIds[0], quantity: 1, reasonCode: 'arrived_damaged', requestedResolution: 'keep' }]
		};
		await expect(createReturn(t.sql, keep, customer)).rejects.toMatchObject({ code: 'keep_not_allowed' });
		const imported = await createReturn(t.sql, { ...keep, channel: 'import', requestedAt: daysAgo(400) }, { kind: 'import' });
		expect(imported).toMatchObject({ policyVersionId: null, quote: null });
	});

	it('counts the customer’s earlier returns and return rate for rules that read them', async () => {
		const shop = (await createTestShop(t.sql, 'policy-history')).id;
		const v = await savePolicyVersion(
			t.sql,
			shop,
			{
				...DEFAULT_POLICY,
				rules: [{ id: 'serial', name: 'Serial returners', when: { customerReturnCount: { min: 2 }, customerReturnRateBasisPoints: { min: 5000 } }, then: { eligibility: 'not_eligible' } }]
			},
			{ userId: null, email: 'owner@example.com' }
		);
		await activatePolicyVersion(t.sql, shop, v.id, { userId: null, email: 'owner@example.com' });
		const email = 'serial@example.com';
		const results: string[] = [];
		for (const n of [1, 2, 3]) {
			const o = await insertTestOrder(t.sql, shop, { number: `serial-${n}`, email, country: 'US', lines: [{ title: 'Top', quantity: 1, unitPrice: 3000 }] });
			const d = await decideReturn(t.sql, { shopId: shop, orderId: o.orderId, lines: [{ orderLineId: o.lineIds[0], quantity: 1, reasonCode: 'changed_mind' }] });
			results.push(d.eligibility);
			if (d.eligibility === 'eligible') {
				await createReturn(t.sql, { shopId: shop, orderId: o.orderId, channel: 'customer', lines: [{ orderLineId: o.lineIds[0], quantity: 1, reasonCode: 'changed_mind' }] }, customer);
			}
		}
		expect(results).toEqual(['eligible', 'eligible', 'not_eligible']);
	});

	it('reads category, tags and final sale from the catalogue', async () => {
		const product = await insertTestProduct(t.sql, shopId, { externalId: 'facts-final', category: 'clothing/tops', finalSale: true });
		const o = await insertTestOrder(t.sql, shopId, { number: 'final-1', country: 'US', lines: [{ title: 'Top', quantity: 1, unitPrice: 2000, productId: product }] });
		const d = await decideReturn(t.sql, { shopId, orderId: o.orderId, lines: [{ orderLineId: o.lineIds[0], quantity: 1, reasonCode: 'changed_mind' }] });
		expect(d.eligibility).toBe('not_eligible');
		expect(d.lines[0].decision.explanation.en).toBe('Not eligible: this item was sold as final sale.');
	});
});

describe.runIf(realPostgres)('the customer’s history under concurrency (real PostgreSQL)', () => {
	it('two returns of one customer at once cannot both escape a rule on their return count', async () => {
		const shop = (await createTestShop(t.sql, 'policy-race')).id;
		const v = await savePolicyVersion(
			t.sql,
			shop,
			{ ...DEFAULT_POLICY, rules: [{ id: 'one', name: 'One return only', when: { customerReturnCount: { min: 1 } }, then: { eligibility: 'not_eligible' } }] },
			{ userId: null, email: 'owner@example.com' }
		);
		await activatePolicyVersion(t.sql, shop, v.id, { userId: null, email: 'owner@example.com' });
		const email = 'racer@example.com';
		const orders = [
			await insertTestOrder(t.sql, shop, { number: 'race-1', email, country: 'US', lines: [{ title: 'A', quantity: 1, unitPrice: 1000 }] }),
			await insertTestOrder(t.sql, shop, { number: 'race-2', email, country: 'US', lines: [{ title: 'B', quantity: 1, unitPrice: 1000 }] })
		];
		const a = connect({ url: t.url!, max: 1 });
		const b = connect({ url: t.url!, max: 1 });
		try {
			const results = await Promise.allSettled(
				[a, b].map((sql, i) =>
					createReturn(sql, { shopId: shop, orderId: orders[i].orderId, channel: 'customer', lines: [{ orderLineId: orders[i].lineIds[0], quantity: 1, reasonCode: 'changed_mind' }] }, customer)
				)
			);
			expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
			expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({ code: 'not_eligible' });
		} finally {
			await a.end();
			await b.end();
		}
	});
});

async function firstVersion() {
	const [row] = await t.sql<{ id: string }[]>`select id from policy_versions where shop_id = ${shopId} and number = 1`;
	return row.id;
}
