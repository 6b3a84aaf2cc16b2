import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyLegalFloor, jurisdictionFor } from './legal-floor';
import { REFUND_TIMINGS, RESOLUTIONS, resolveOutputs, type LineFacts, type Outputs, type Policy } from './rules';
import { validate } from './validators';

const defaults: Outputs = {
	eligibility: 'eligible',
	windowDays: 30,
	resolutions: ['store_credit'],
	restockingFeeBasisPoints: 1500,
	returnShippingFee: 495,
	waiveFeesForExchange: false,
	bonusCreditBasisPoints: 0,
	keepItemBelow: 0,
	photosRequired: false,
	refundTiming: 'after_inspection'
};

const facts = (over: Partial<LineFacts> = {}): LineFacts => ({
	daysSinceDelivery: 5,
	daysSinceOrder: 8,
	category: 'electronics/cables',
	tags: [],
	sku: 'CABLE',
	unitPrice: 1990,
	finalSale: true,
	discounted: true,
	reason: 'changed_mind',
	itemCondition: 'opened',
	country: 'FR',
	customerReturnCount: 0,
	customerReturnRateBasisPoints: 0,
	orderValue: 1990,
	riskScore: null,
	...over
});

function decide(policy: Policy, f: LineFacts, opts: { isWithdrawal?: boolean; requested?: number; left?: number } = {}) {
	const resolved = resolveOutputs(policy, f);
	const validated = validate({ ...f, quantityRequested: opts.requested ?? 1, quantityLeft: opts.left ?? 1 }, resolved.outputs);
	return applyLegalFloor(
		{ eligibility: validated.eligibility, outputs: resolved.outputs, verdicts: validated.verdicts },
		{ country: f.country, daysSinceDelivery: f.daysSinceDelivery, isWithdrawal: opts.isWithdrawal ?? false, wholeOrder: true }
	);
}

describe('the EU legal floor', () => {
	const harsh: Policy = { defaults: { ...defaults, windowDays: 3 }, rules: [{ id: 'no', name: 'Nothing back', when: {}, then: { eligibility: 'not_eligible' } }] };

	it('knows which countries it covers', () => {
		expect(jurisdictionFor('DE')?.code).toBe('EU');
		expect(jurisdictionFor('US')).toBeNull();
	});

	it('lets an EU consumer withdraw within 14 days of delivery whatever the rules, for a refund with no restocking fee', () => {
		const r = decide(harsh, facts(), { isWithdrawal: true });
		expect(r.eligibility).toBe('eligible');
		expect(r.outputs.resolutions[0]).toBe('refund');
		expect(r.outputs.restockingFeeBasisPoints).toBe(0);
		expect(r.outputs.returnShippingFee).toBe(495); // the direct cost of returning, stated up front
		expect(r.outputs.refundTiming).toBe('at_drop_off');
		expect(r.floor).toEqual({ jurisdiction: 'EU', withdrawalDaysLeft: 9, refundOutboundShipping: true, refundDueDays: 14 });
	});

	it('allows withdrawal before delivery, and refuses it after the period', () => {
		expect(decide(harsh, facts({ daysSinceDelivery: null }), { isWithdrawal: true }).eligibility).toBe('eligible');
		const late = decide(harsh, facts({ daysSinceDelivery: 15 }), { isWithdrawal: true });
		expect(late.eligibility).toBe('not_eligible');
		expect(late.verdicts.at(-1)?.code).toBe('withdrawal_period');
	});

	it('still refuses more units than were bought', () => {
		expect(decide(harsh, facts(), { isWithdrawal: true, requested: 2, left: 1 }).eligibility).toBe('not_eligible');
	});

	it('does nothing outside the EU or after the period', () => {
		expect(decide(harsh, facts({ country: 'US' })).floor).toBeNull();
		expect(decide(harsh, facts({ country: 'US' })).eligibility).toBe('not_eligible');
		expect(decide(harsh, facts({ daysSinceDelivery: 20 })).eligibility).toBe('not_eligible');
	});

	it('keeps a review on an ordinary return, but never on a withdrawal', () => {
		const review: Policy = { defaults, rules: [{ id: 'r', name: 'Review', when: {}, then: { eligibility: 'needs_review' } }] };
		expect(decide(review, facts()).eligibility).toBe('needs_review');
		expect(decide(review, facts(), { isWithdrawal: true }).eligibility).toBe('eligible');
	});

	const outputsArb: fc.Arbitrary<Partial<Outputs>> = fc.record(
		{
			eligibility: fc.constantFrom('eligible' as const, 'needs_review' as const, 'not_eligible' as const),
			windowDays: fc.integer({ min: 0, max: 365 }),
			resolutions: fc.subarray([...RESOLUTIONS], { minLength: 1 }),
			restockingFeeBasisPoints: fc.integer({ min: 0, max: 10_000 }),
			refundTiming: fc.constantFrom(...REFUND_TIMINGS)
		},
		{ requiredKeys: [] }
	);
	const policyArb: fc.Arbitrary<Policy> = fc.record({
		defaults: outputsArb.map((o) => ({ ...defaults, ...o })),
		rules: fc.array(
			fc.record({ id: fc.uuid(), name: fc.constant('rule'), when: fc.record({ reasons: fc.constant(['changed_mind']) }, { requiredKeys: [] }), then: outputsArb }),
			{ maxLength: 5 }
		)
	});

	it('is never undercut by any policy (property)', () => {
		fc.assert(
			fc.property(policyArb, fc.integer({ min: 0, max: 14 }), fc.boolean(), fc.boolean(), (policy, days, finalSale, isWithdrawal) => {
				const r = decide(policy, facts({ daysSinceDelivery: days, finalSale }), { isWithdrawal });
				expect(r.eligibility).not.toBe('not_eligible');
				if (isWithdrawal) expect(r.eligibility).toBe('eligible');
				expect(r.outputs.resolutions).toContain('refund');
				if (isWithdrawal) expect(r.outputs.resolutions[0]).toBe('refund');
				expect(r.outputs.restockingFeeBasisPoints).toBe(0);
				expect(r.outputs.refundTiming).not.toBe('after_inspection');
			})
		);
	});
});
