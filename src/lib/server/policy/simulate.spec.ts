import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideLine, type DecideInput } from './decide';
import { RESOLUTIONS, type Outputs, type Policy, type Resolution, type Rule } from './rules';
import { comparePolicies, lineDecider, simulatePolicy, type PastReturn, type PastReturnLine, type PolicyOutcome } from './simulate';

const defaults: Outputs = {
	eligibility: 'eligible',
	windowDays: 30,
	resolutions: ['exchange_variant', 'store_credit', 'refund'],
	restockingFeeBasisPoints: 0,
	returnShippingFee: 0,
	waiveFeesForExchange: true,
	bonusCreditBasisPoints: 0,
	keepItemBelow: 0,
	photosRequired: false,
	refundTiming: 'after_inspection'
};
const policy = (over: Partial<Outputs> = {}, rules: Rule[] = []): Policy => ({ defaults: { ...defaults, ...over }, rules });
const active = policy();

// US by default: outside the EU legal floor, so the merchant's rules alone decide.
const facts = (over: Partial<DecideInput> = {}): DecideInput => ({
	daysSinceDelivery: 10,
	daysSinceOrder: 13,
	category: 'clothing/jeans',
	tags: [],
	sku: 'JEAN',
	unitPrice: 10_000,
	finalSale: false,
	discounted: false,
	reason: 'too_small',
	itemCondition: 'opened',
	country: 'US',
	customerReturnCount: 0,
	customerReturnRateBasisPoints: 0,
	orderValue: 10_000,
	riskScore: null,
	quantityRequested: 1,
	quantityLeft: 1,
	isWithdrawal: false,
	wholeOrder: true,
	...over
});

let nextLine = 0;
const line = (over: Partial<DecideInput> = {}, paidAmount = 10_000, quote: Partial<PastReturnLine['quote']> = {}): PastReturnLine => ({
	facts: facts(over),
	quote: { orderLineId: `ol${++nextLine}`, quantity: 1, orderedQuantity: 1, alreadyReturned: 0, paidAmount, ...quote }
});

const ret = (id: string, lines: PastReturnLine[], over: Partial<PastReturn> = {}): PastReturn => ({
	returnId: id,
	rma: `R-${id}`,
	currency: 'USD',
	takenResolution: 'refund',
	outboundShipping: 0,
	lines,
	...over
});

describe('comparePolicies: eligibility changes', () => {
	it('a shorter window makes a late return not eligible, with the draft explanation in the examples', () => {
		const returns = [ret('late', [line({ daysSinceDelivery: 20 })]), ret('early', [line({ daysSinceDelivery: 5 })])];
		const c = comparePolicies(active, policy({ windowDays: 14 }), returns);
		expect(c.active.eligibility).toEqual({ eligible: 2, needs_review: 0, not_eligible: 0 });
		expect(c.draft.eligibility).toEqual({ eligible: 1, needs_review: 0, not_eligible: 1 });
		expect(c.eligibilityChanged).toBe(1);
		expect(c.becameNotEligible.count).toBe(1);
		expect(c.becameNotEligible.examples).toEqual([
			{
				returnId: 'late',
				rma: 'R-late',
				before: 'eligible',
				after: 'not_eligible',
				orderLineId: returns[0].lines[0].quote.orderLineId,
				explanation: 'Not eligible: delivered 20 days ago, after the 14-day window.',
				explanationFr: 'Non éligible : livré il y a 20 jours, après le délai de 14 jours.',
				explanationBefore: 'Eligible: delivered 20 days ago, within the 30-day window.'
			}
		]);
		// Not eligible: no resolution, no money.
		expect(c.draft.resolutions.none).toBe(1);
		expect(c.draft.currencies.USD.refunded).toBe(10_000);
		expect(c.active.currencies.USD.refunded).toBe(20_000);
		expect(c.costDelta).toEqual({ USD: -10_000 });
	});

	it('a rule sending a category to review sends matching returns to review, explained by the decisive line', () => {
		const review: Rule = { id: 'r1', name: 'Electronics reviewed', when: { categories: ['electronics'] }, then: { eligibility: 'needs_review' } };
		const mixed = ret('mixed', [line({ category: 'clothing/shirts' }), line({ category: 'electronics/headphones' })]);
		const returns = [mixed, ret('clothes', [line()]), ret('cable', [line({ category: 'electronics/cables' })])];
		const c = comparePolicies(active, policy({}, [review]), returns);
		expect(c.draft.eligibility).toEqual({ eligible: 1, needs_review: 2, not_eligible: 0 });
		expect(c.draft.lineEligibility).toEqual({ eligible: 2, needs_review: 2, not_eligible: 0 });
		expect(c.becameNeedsReview.count).toBe(2);
		expect(c.becameNeedsReview.examples.map((e) => [e.returnId, e.orderLineId, e.before, e.after, e.explanation])).toEqual([
			['mixed', mixed.lines[1].quote.orderLineId, 'eligible', 'needs_review', 'To be reviewed: the shop reviews returns like this one.'],
			['cable', returns[2].lines[0].quote.orderLineId, 'eligible', 'needs_review', 'To be reviewed: the shop reviews returns like this one.']
		]);
		// Reviewed returns are counted as approved: their money stays in the totals.
		expect(c.draft.currencies.USD.refunded).toBe(c.active.currencies.USD.refunded);
	});

	it('explains a change by the line that moved to the return’s new state', () => {
		const draft = policy({}, [
			{ id: 'shirts', name: 'Shirts reviewed', when: { categories: ['clothing/shirts'] }, then: { eligibility: 'needs_review' } },
			{ id: 'audio', name: 'No audio', when: { categories: ['electronics'] }, then: { eligibility: 'not_eligible' } }
		]);
		const r = ret('two', [line({ category: 'clothing/shirts' }), line({ category: 'electronics/headphones' })]);
		const c = comparePolicies(active, draft, [r]);
		expect(c.becameNotEligible.examples).toMatchObject([
			{ orderLineId: r.lines[1].quote.orderLineId, after: 'not_eligible', explanation: 'Not eligible: the shop’s return policy excludes this item.' }
		]);
	});

	it('a longer window makes returns eligible again, and the reverse comparison mirrors it', () => {
		const returns = [ret('a', [line({ daysSinceDelivery: 40 })]), ret('b', [line({ daysSinceDelivery: 40 }), line({ daysSinceDelivery: 40, finalSale: true })])];
		const c = comparePolicies(active, policy({ windowDays: 60 }), returns);
		expect(c.becameEligible).toMatchObject({ count: 1, examples: [{ returnId: 'a', before: 'not_eligible', after: 'eligible' }] });
		expect(c.becameEligible.examples[0].explanation).toBe('Eligible: delivered 40 days ago, within the 60-day window.');
		expect(c.becameNotEligible.count).toBe(0);
		const back = comparePolicies(policy({ windowDays: 60 }), active, returns);
		expect(back.becameNotEligible.count).toBe(1);
		expect(back.active).toEqual(c.draft);
	});

	it('keeps at most `examples` examples of each kind (default 20) but counts them all', () => {
		const returns = Array.from({ length: 25 }, (_, i) => ret(`r${i}`, [line({ daysSinceDelivery: 20 })]));
		const draft = policy({ windowDays: 14 });
		expect(comparePolicies(active, draft, returns).becameNotEligible.examples).toHaveLength(20);
		expect(comparePolicies(active, draft, returns, { examples: 3 }).becameNotEligible).toMatchObject({ count: 25, examples: { length: 3 } });
		expect(comparePolicies(active, draft, returns, { examples: 0 }).becameNotEligible).toEqual({ count: 25, examples: [] });
	});
});

describe('comparePolicies: resolutions', () => {
	const noRefund = policy({ resolutions: ['store_credit', 'exchange_variant'] });
	const cases: [string, Partial<DecideInput>, Resolution, Resolution | 'none'][] = [
		['a refund becomes the first resolution offered (US)', {}, 'refund', 'store_credit'],
		['an exchange stays an exchange', {}, 'exchange_variant', 'exchange_variant'],
		['store credit stays store credit', {}, 'store_credit', 'store_credit'],
		['the EU floor re-adds refund within 14 days of delivery (FR, day 10)', { country: 'FR' }, 'refund', 'refund'],
		['but not after 14 days (FR, day 20)', { country: 'FR', daysSinceDelivery: 20 }, 'refund', 'store_credit'],
		['Switzerland has no floor', { country: 'CH' }, 'refund', 'store_credit']
	];
	it.each(cases)('a draft removing refund: %s', (_, over, taken, expected) => {
		const c = comparePolicies(active, noRefund, [ret('x', [line(over)], { takenResolution: taken })]);
		expect(c.active.resolutions[taken]).toBe(1);
		expect(c.draft.resolutions[expected]).toBe(1);
		expect(c.draft.keptTakenResolution).toBe(expected === taken ? 1 : 0);
		expect(c.resolutionChanged).toBe(expected === taken ? 0 : 1);
	});

	it('moves the money from refunds to store credit', () => {
		const c = comparePolicies(active, noRefund, [ret('x', [line()])]);
		expect(c.active.currencies.USD).toMatchObject({ refunded: 10_000, storeCredit: 0, estimatedCost: 10_000 });
		expect(c.draft.currencies.USD).toMatchObject({ refunded: 0, storeCredit: 10_000, estimatedCost: 10_000 });
	});

	it('prefers refund, then the first resolution offered for every line, when the taken one is gone', () => {
		const byCategory: Rule = { id: 'shoes', name: 'Shoes', when: { categories: ['shoes'] }, then: { resolutions: ['exchange_product', 'exchange_variant'] } };
		const draft = policy({ resolutions: ['store_credit', 'exchange_variant', 'refund'] }, [byCategory]);
		const taken = (r: Resolution, lines: PastReturnLine[]) => ret(r, lines, { takenResolution: r });
		const out = simulatePolicy(draft, [
			taken('exchange_product', [line()]), // not offered → refund
			taken('refund', [line(), line({ category: 'shoes' })]), // refund not offered for shoes → exchange_variant, common to both
			taken('fix', [line({ category: 'shoes' })]) // → exchange_product, the first offered
		]);
		expect(out.resolutions).toEqual({ fix: 0, exchange_variant: 1, exchange_product: 1, store_credit: 0, refund: 1, none: 0 });
	});

	it('counts a return with no resolution offered for every line as none, apart from the not eligible ones', () => {
		const draft = policy({}, [{ id: 's', name: 'Shoes', when: { categories: ['shoes'] }, then: { resolutions: ['fix'] } }]);
		const out = simulatePolicy(draft, [ret('x', [line(), line({ category: 'shoes' })]), ret('y', [line({ daysSinceDelivery: 99 })])]);
		expect(out.resolutions.none).toBe(2);
		expect(out.noCommonResolution).toBe(1);
		expect(out.eligibility).toEqual({ eligible: 1, needs_review: 0, not_eligible: 1 });
	});
});

describe('comparePolicies: money', () => {
	it('a restocking fee in the draft shows in the fees collected and lowers the cost of refunds, not of waived exchanges', () => {
		const returns = [ret('refund', [line()]), ret('exchange', [line()], { takenResolution: 'exchange_variant' })];
		const c = comparePolicies(active, policy({ restockingFeeBasisPoints: 1000 }), returns);
		expect(c.active.currencies.USD).toMatchObject({ fees: {}, feesTotal: 0, refunded: 10_000, exchanges: 10_000, estimatedCost: 10_000 });
		expect(c.draft.currencies.USD).toMatchObject({ fees: { restocking: 1000 }, feesTotal: 1000, refunded: 9000, exchanges: 10_000, estimatedCost: 9000 });
		expect(c.costDelta.USD).toBe(-1000);
	});

	it('fees kept on an exchange (not waived) lower the cost; no restocking fee under the EU floor', () => {
		const draft = policy({ restockingFeeBasisPoints: 1000, returnShippingFee: 500, waiveFeesForExchange: false });
		const out = simulatePolicy(draft, [
			ret('us', [line()], { takenResolution: 'exchange_variant' }),
			ret('fr', [line({ country: 'FR' })], { takenResolution: 'refund', currency: 'EUR' })
		]);
		expect(out.currencies.USD).toMatchObject({ exchanges: 10_000, fees: { restocking: 1000, return_shipping: 500 }, estimatedCost: -1500 });
		expect(out.currencies.EUR).toMatchObject({ refunded: 9500, fees: { return_shipping: 500 }, estimatedCost: 9500 });
	});

	it('a store credit bonus raises the credit issued and the cost', () => {
		const returns = [ret('x', [line()], { takenResolution: 'store_credit' })];
		const c = comparePolicies(active, policy({ bonusCreditBasisPoints: 1000 }), returns);
		expect(c.active.currencies.USD).toMatchObject({ storeCredit: 10_000, storeCreditBonus: 0, estimatedCost: 10_000 });
		expect(c.draft.currencies.USD).toMatchObject({ storeCredit: 11_000, storeCreditBonus: 1000, estimatedCost: 11_000 });
		expect(c.costDelta.USD).toBe(1000);
	});

	it('refunds the outbound delivery on an EU withdrawal of the whole order', () => {
		const out = simulatePolicy(active, [ret('w', [line({ country: 'DE', isWithdrawal: true })], { currency: 'EUR', outboundShipping: 495 })]);
		expect(out.currencies.EUR).toMatchObject({ refunded: 10_495, shippingRefunded: 495, estimatedCost: 10_495 });
	});

	it('keeps currencies apart', () => {
		const out = simulatePolicy(policy({ returnShippingFee: 300 }), [
			ret('e1', [line({ country: 'CH' }, 5000)], { currency: 'CHF' }),
			ret('u1', [line({}, 7000)]),
			ret('u2', [line({}, 2000)], { takenResolution: 'store_credit' }),
			ret('g1', [line({ country: 'GB' }, 900)], { currency: 'GBP', takenResolution: 'exchange_variant' })
		]);
		expect(Object.keys(out.currencies)).toEqual(['CHF', 'GBP', 'USD']);
		expect(out.currencies.CHF).toMatchObject({ returns: 1, refunded: 4700, storeCredit: 0, fees: { return_shipping: 300 } });
		expect(out.currencies.USD).toMatchObject({ returns: 2, refunded: 6700, storeCredit: 1700, fees: { return_shipping: 600 }, estimatedCost: 8400 });
		expect(out.currencies.GBP).toMatchObject({ returns: 1, refunded: 0, exchanges: 900, fees: {}, estimatedCost: 0 });
	});

	it('keeps every total an integer of minor units, with shares and percentages that do not divide evenly', () => {
		const draft = policy({ restockingFeeBasisPoints: 1234, bonusCreditBasisPoints: 777 });
		const returns = [
			ret('a', [line({}, 9999, { quantity: 1, orderedQuantity: 3 })]),
			ret('b', [line({}, 9999, { quantity: 1, orderedQuantity: 3, alreadyReturned: 1 }), line({}, 333)], { takenResolution: 'store_credit' }),
			ret('c', [line({}, 1001, { quantity: 2, orderedQuantity: 7 })], { takenResolution: 'exchange_variant' })
		];
		const out = simulatePolicy(draft, returns);
		expectIntegers(out);
		expect(out.currencies.USD.refunded).toBe(3333 - 411);
		expect(out.currencies.USD.storeCredit).toBe(3333 + 333 - 452 + 285);
		expect(out.currencies.USD.exchanges).toBe(286);
	});
});

describe('simulatePolicy: bad data', () => {
	it('counts a return whose quote fails (QuoteError) under errors and carries on', () => {
		const bad = ret('bad', [line({}, 10_000, { quantity: 2, orderedQuantity: 1 })]);
		const negative = ret('neg', [line({}, -5)]);
		const out = simulatePolicy(active, [bad, ret('ok', [line()]), negative]);
		expect(out.errors).toBe(2);
		expect(out.errorExamples).toMatchObject([
			{ returnId: 'bad', rma: 'R-bad', code: 'quantity_exceeded', field: 'lines[0].quantity' },
			{ returnId: 'neg', code: 'invalid_amount' }
		]);
		expect(out.eligibility.eligible).toBe(3);
		expect(out.currencies.USD).toMatchObject({ returns: 1, refunded: 10_000 });
	});

	it('gives the same outcome alone as inside a comparison', () => {
		const returns = [ret('a', [line()]), ret('b', [line({ daysSinceDelivery: 50 })])];
		const draft = policy({ windowDays: 60, restockingFeeBasisPoints: 500 });
		const c = comparePolicies(active, draft, returns);
		expect(simulatePolicy(active, returns)).toEqual(c.active);
		expect(simulatePolicy(draft, returns)).toEqual(c.draft);
	});
});

function expectIntegers(out: PolicyOutcome) {
	for (const totals of Object.values(out.currencies)) {
		for (const value of Object.values(totals)) {
			for (const v of typeof value === 'number' ? [value] : Object.values(value)) expect(Number.isSafeInteger(v)).toBe(true);
		}
	}
}

describe('comparePolicies: properties', () => {
	const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
	const resolutionList = fc.uniqueArray(fc.constantFrom(...RESOLUTIONS), { minLength: 1, maxLength: 5 });
	const arbPolicy = fc.record({
		defaults: fc.record({
			eligibility: fc.constantFrom('eligible' as const, 'needs_review' as const),
			windowDays: fc.integer({ min: 0, max: 90 }),
			resolutions: resolutionList,
			restockingFeeBasisPoints: fc.integer({ min: 0, max: 10_000 }),
			returnShippingFee: fc.integer({ min: 0, max: 2000 }),
			waiveFeesForExchange: fc.boolean(),
			bonusCreditBasisPoints: fc.integer({ min: 0, max: 5000 }),
			keepItemBelow: fc.constant(0),
			photosRequired: fc.boolean(),
			refundTiming: fc.constantFrom('at_approval' as const, 'after_inspection' as const)
		}),
		rules: fc.array(
			fc.record({
				id: fc.uuid(),
				name: fc.constant('rule'),
				when: fc.record(
					{
						categories: fc.constant<string[]>(['electronics']),
						daysSinceDelivery: fc.record({ min: fc.integer({ min: 0, max: 60 }) }),
						countries: fc.constant<string[]>(['US', 'FR'])
					},
					{ requiredKeys: [] }
				),
				then: fc.record(
					{
						eligibility: fc.constantFrom('eligible' as const, 'needs_review' as const, 'not_eligible' as const),
						windowDays: fc.integer({ min: 0, max: 90 }),
						resolutions: resolutionList,
						restockingFeeBasisPoints: fc.integer({ min: 0, max: 10_000 })
					},
					{ requiredKeys: [] }
				)
			}),
			{ maxLength: 4 }
		)
	});
	const arbLine = fc
		.record({
			days: fc.option(fc.integer({ min: 0, max: 120 }), { freq: 10 }),
			category: fc.constantFrom('electronics/cables', 'clothing/jeans', 'home'),
			country: fc.constantFrom('US', 'FR', 'DE', 'CH'),
			finalSale: fc.boolean(),
			isWithdrawal: fc.boolean(),
			ordered: fc.integer({ min: 1, max: 3 }),
			quantity: fc.integer({ min: 1, max: 4 }), // may exceed what was ordered: bad data
			paid: fc.integer({ min: 0, max: 1_000_000 })
		})
		.map((l) =>
			line(
				{ daysSinceDelivery: l.days, daysSinceOrder: (l.days ?? 0) + 2, category: l.category, country: l.country, finalSale: l.finalSale, isWithdrawal: l.isWithdrawal, quantityRequested: l.quantity, quantityLeft: l.ordered },
				l.paid,
				{ quantity: l.quantity, orderedQuantity: l.ordered }
			)
		);
	const arbReturn = fc.record({
		returnId: fc.string(),
		rma: fc.string(),
		currency: fc.constantFrom('EUR', 'USD', 'CHF'),
		takenResolution: fc.constantFrom(...RESOLUTIONS),
		outboundShipping: fc.integer({ min: 0, max: 1000 }),
		lines: fc.array(arbLine, { minLength: 1, maxLength: 3 })
	});

	it('counts add up: every return has one eligibility and one resolution under each policy, and every change is counted once', () => {
		fc.assert(
			fc.property(arbPolicy, arbPolicy, fc.array(arbReturn, { maxLength: 30 }), fc.integer({ min: 0, max: 5 }), (a, d, returns, examples) => {
				const c = comparePolicies(a, d, returns, { examples });
				const lines = returns.reduce((s, r) => s + r.lines.length, 0);
				for (const out of [c.active, c.draft]) {
					expect(out.returns).toBe(returns.length);
					expect(out.eligibility.eligible + out.eligibility.needs_review + out.eligibility.not_eligible).toBe(returns.length);
					expect(sum(out.lineEligibility)).toBe(lines);
					expect(sum(out.resolutions)).toBe(returns.length);
					expect(out.resolutions.none).toBe(out.eligibility.not_eligible + out.noCommonResolution);
					expect(sum(Object.fromEntries(Object.entries(out.currencies).map(([k, t]) => [k, t.returns]))) + out.errors).toBeLessThanOrEqual(returns.length);
					expectIntegers(out);
					for (const t of Object.values(out.currencies)) {
						expect(t.feesTotal).toBe(sum(t.fees));
						// Fees on refunds and credit are already out of what is paid; only those kept on exchanges and repairs lower the cost further.
						expect(t.estimatedCost).toBeLessThanOrEqual(t.refunded + t.storeCredit);
						expect(t.estimatedCost).toBeGreaterThanOrEqual(t.refunded + t.storeCredit - t.feesTotal);
						expect(t.storeCreditBonus).toBeLessThanOrEqual(t.storeCredit);
					}
				}
				const groups = [c.becameNotEligible, c.becameNeedsReview, c.becameEligible];
				expect(c.eligibilityChanged).toBe(groups.reduce((s, g) => s + g.count, 0));
				expect(c.eligibilityChanged).toBeLessThanOrEqual(returns.length);
				for (const g of groups) expect(g.examples.length).toBe(Math.min(g.count, examples));
				expect(c.draft.eligibility.not_eligible - c.active.eligibility.not_eligible).toBeLessThanOrEqual(c.becameNotEligible.count);
			}),
			{ numRuns: 200 }
		);
	});
});

describe('lineDecider', () => {
	const range = (max: number) =>
		fc.record({ min: fc.integer({ min: 0, max }), max: fc.integer({ min: 0, max }) }, { requiredKeys: [] });
	const when = fc.record(
		{
			daysSinceDelivery: range(60),
			daysSinceOrder: range(60),
			categories: fc.subarray(['clothing', 'clothing/jeans', 'electronics', 'home']),
			tags: fc.subarray(['denim', 'fragile']),
			skus: fc.subarray(['JEAN', 'CABLE']),
			unitPrice: range(20_000),
			finalSale: fc.boolean(),
			discounted: fc.boolean(),
			reasons: fc.subarray(['too_small', 'damaged']),
			itemConditions: fc.subarray(['unopened' as const, 'opened' as const, 'used' as const]),
			countries: fc.subarray(['US', 'FR', 'DE', 'CH']),
			customerReturnCount: range(10),
			customerReturnRateBasisPoints: range(10_000),
			orderValue: range(50_000),
			riskScore: range(100)
		},
		{ requiredKeys: [] }
	);
	const then = fc.record(
		{
			eligibility: fc.constantFrom('eligible' as const, 'needs_review' as const, 'not_eligible' as const),
			windowDays: fc.integer({ min: 0, max: 90 }),
			resolutions: fc.uniqueArray(fc.constantFrom(...RESOLUTIONS), { minLength: 1, maxLength: 5 }),
			restockingFeeBasisPoints: fc.integer({ min: 0, max: 10_000 }),
			returnShippingFee: fc.integer({ min: 0, max: 2000 }),
			waiveFeesForExchange: fc.boolean(),
			bonusCreditBasisPoints: fc.integer({ min: 0, max: 5000 }),
			refundTiming: fc.constantFrom('at_approval' as const, 'at_drop_off' as const, 'after_inspection' as const)
		},
		{ requiredKeys: [] }
	);
	const arbPolicy = fc.record({
		defaults: fc.record({
			eligibility: fc.constantFrom('eligible' as const, 'needs_review' as const, 'not_eligible' as const),
			windowDays: fc.integer({ min: 0, max: 90 }),
			resolutions: fc.uniqueArray(fc.constantFrom(...RESOLUTIONS), { minLength: 1, maxLength: 5 }),
			restockingFeeBasisPoints: fc.integer({ min: 0, max: 10_000 }),
			returnShippingFee: fc.integer({ min: 0, max: 2000 }),
			waiveFeesForExchange: fc.boolean(),
			bonusCreditBasisPoints: fc.integer({ min: 0, max: 5000 }),
			keepItemBelow: fc.integer({ min: 0, max: 2000 }),
			photosRequired: fc.boolean(),
			refundTiming: fc.constantFrom('at_approval' as const, 'at_drop_off' as const, 'after_inspection' as const)
		}),
		rules: fc.array(fc.record({ id: fc.uuid(), name: fc.constant('rule'), when, then }), { maxLength: 6 })
	});
	const arbFacts = fc
		.record({
			daysSinceDelivery: fc.option(fc.integer({ min: 0, max: 120 }), { freq: 8 }),
			daysSinceOrder: fc.integer({ min: 0, max: 130 }),
			category: fc.option(fc.constantFrom('clothing/jeans', 'clothing', 'electronics/cables', 'home', 'homeware'), { freq: 8 }),
			tags: fc.subarray(['denim', 'fragile', 'gift']),
			sku: fc.option(fc.constantFrom('JEAN', 'CABLE', 'LAMP'), { freq: 8 }),
			unitPrice: fc.integer({ min: 0, max: 30_000 }),
			finalSale: fc.boolean(),
			discounted: fc.boolean(),
			reason: fc.option(fc.constantFrom('too_small', 'damaged', 'changed_mind'), { freq: 8 }),
			itemCondition: fc.option(fc.constantFrom('unopened' as const, 'opened' as const, 'used' as const, 'damaged' as const), { freq: 8 }),
			country: fc.constantFrom('US', 'FR', 'DE', 'CH', 'GB'),
			customerReturnCount: fc.integer({ min: 0, max: 12 }),
			customerReturnRateBasisPoints: fc.integer({ min: 0, max: 10_000 }),
			orderValue: fc.integer({ min: 0, max: 60_000 }),
			riskScore: fc.option(fc.integer({ min: 0, max: 100 }), { freq: 4 }),
			quantityRequested: fc.integer({ min: 1, max: 3 }),
			quantityLeft: fc.integer({ min: 0, max: 3 }),
			isWithdrawal: fc.boolean(),
			wholeOrder: fc.boolean()
		})
		.map((f): DecideInput => f);

	it('tells the sets of matching rules apart beyond 30 rules', () => {
		const rules: Rule[] = Array.from({ length: 40 }, (_, i) => ({ id: `r${i}`, name: `r${i}`, when: { unitPrice: { min: i * 100 } }, then: { windowDays: 100 - i } }));
		const p = policy({}, rules.reverse());
		const decide = lineDecider(p);
		for (const unitPrice of [0, 150, 3050, 3950, 150, 0]) {
			const f = facts({ unitPrice, daysSinceDelivery: 70 });
			expect(decide(f)).toEqual({ ...decideLine(p, f), explanation: { en: '', fr: '' } });
		}
		expect(decide(facts({ unitPrice: 3950 })).outputs.windowDays).toBe(61);
	});

	it('decides every line as decideLine does, apart from the sentences, one decider over many lines', () => {
		fc.assert(
			fc.property(arbPolicy, fc.array(arbFacts, { minLength: 1, maxLength: 40 }), (p, lines) => {
				const decide = lineDecider(p);
				for (const f of lines) expect(decide(f)).toEqual({ ...decideLine(p, f), explanation: { en: '', fr: '' } });
			}),
			{ numRuns: 300 }
		);
	});
});
