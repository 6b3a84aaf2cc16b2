import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matches, resolveOutputs, type LineFacts, type Outputs, type Policy } from './rules';
import { validate } from './validators';

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

const facts = (over: Partial<LineFacts> = {}): LineFacts => ({
	daysSinceDelivery: 12,
	daysSinceOrder: 15,
	category: 'clothing/jeans',
	tags: ['denim'],
	sku: 'JEAN-32-32',
	unitPrice: 8900,
	finalSale: false,
	discounted: false,
	reason: 'too_small',
	itemCondition: 'opened',
	country: 'FR',
	customerReturnCount: 1,
	customerReturnRateBasisPoints: 1000,
	orderValue: 8900,
	riskScore: null,
	...over
});

describe('conditions', () => {
	const cases: [string, Parameters<typeof matches>[0], Partial<LineFacts>, boolean][] = [
		['empty rule matches all', {}, {}, true],
		['days since delivery in range', { daysSinceDelivery: { max: 14 } }, {}, true],
		['days since delivery out of range', { daysSinceDelivery: { max: 10 } }, {}, false],
		['not delivered never matches a delivery range', { daysSinceDelivery: { min: 0 } }, { daysSinceDelivery: null }, false],
		['days since order', { daysSinceOrder: { min: 16 } }, {}, false],
		['category prefix', { categories: ['clothing'] }, {}, true],
		['category is not a substring match', { categories: ['cloth'] }, {}, false],
		['any tag', { tags: ['sale', 'denim'] }, {}, true],
		['sku', { skus: ['OTHER'] }, {}, false],
		['price range', { unitPrice: { min: 5000, max: 10000 } }, {}, true],
		['final sale', { finalSale: true }, {}, false],
		['discounted', { discounted: false }, {}, true],
		['reason', { reasons: ['too_large'] }, {}, false],
		['item condition', { itemConditions: ['opened', 'used'] }, {}, true],
		['country', { countries: ['DE'] }, {}, false],
		['return count', { customerReturnCount: { min: 5 } }, {}, false],
		['return rate', { customerReturnRateBasisPoints: { max: 2000 } }, {}, true],
		['order value', { orderValue: { min: 10000 } }, {}, false],
		['risk unknown never matches a risk range', { riskScore: { min: 0 } }, {}, false],
		['all must hold', { categories: ['clothing'], reasons: ['too_large'] }, {}, false]
	];
	it.each(cases)('%s', (_, when, over, expected) => {
		expect(matches(when, facts(over))).toBe(expected);
	});
});

describe('resolveOutputs', () => {
	const policy: Policy = {
		defaults,
		rules: [
			{ id: 'sale', name: 'Sale items: credit only', when: { discounted: true }, then: { resolutions: ['store_credit'], windowDays: 14 } },
			{ id: 'jeans', name: 'Jeans: 60 days', when: { categories: ['clothing/jeans'] }, then: { windowDays: 60, bonusCreditBasisPoints: 1000 } },
			{ id: 'serial', name: 'Serial returners: review', when: { customerReturnCount: { min: 10 } }, then: { eligibility: 'needs_review', photosRequired: true } },
			{ id: 'used', name: 'Used: no', when: { itemConditions: ['used'] }, then: { eligibility: 'not_eligible' } }
		]
	};

	it('takes each output from the first matching rule that sets it, else the default', () => {
		const r = resolveOutputs(policy, facts({ discounted: true }));
		expect(r.outputs.windowDays).toBe(14);
		expect(r.source.windowDays).toBe('sale');
		expect(r.outputs.resolutions).toEqual(['store_credit']);
		expect(r.outputs.bonusCreditBasisPoints).toBe(1000);
		expect(r.source.bonusCreditBasisPoints).toBe('jeans');
		expect(r.outputs.refundTiming).toBe('after_inspection');
		expect(r.source.refundTiming).toBeNull();
		expect(r.matchedRules).toEqual(['sale', 'jeans']);
	});

	it('takes the most restrictive eligibility of all matching rules, whatever their order', () => {
		const both = facts({ customerReturnCount: 12, itemCondition: 'used' });
		expect(resolveOutputs(policy, both).outputs.eligibility).toBe('not_eligible');
		expect(resolveOutputs({ ...policy, rules: [...policy.rules].reverse() }, both).outputs.eligibility).toBe('not_eligible');
		expect(resolveOutputs(policy, facts({ customerReturnCount: 12 })).outputs).toMatchObject({ eligibility: 'needs_review', photosRequired: true });
	});

	it('never shares the defaults array with its result', () => {
		const r = resolveOutputs(policy, facts());
		r.outputs.resolutions.push('fix');
		expect(defaults.resolutions).toEqual(['exchange_variant', 'store_credit', 'refund']);
	});
});

describe('validators', () => {
	const v = (over: Partial<LineFacts> = {}, q = { quantityRequested: 1, quantityLeft: 1 }) => ({ ...facts(over), ...q });

	it('pass a line within the window', () => {
		expect(validate(v(), defaults)).toEqual({ eligibility: 'eligible', verdicts: [{ code: 'window', outcome: 'eligible', params: { days: 12, windowDays: 30, from: 'delivery' } }] });
	});

	it('refuse outside the window, final sale and quantities already returned; review what is not delivered', () => {
		expect(validate(v({ daysSinceDelivery: 31 }), defaults).eligibility).toBe('not_eligible');
		expect(validate(v({ finalSale: true }), defaults).verdicts.map((x) => x.code)).toContain('final_sale');
		expect(validate(v({}, { quantityRequested: 2, quantityLeft: 1 }), defaults).eligibility).toBe('not_eligible');
		const transit = validate(v({ daysSinceDelivery: null, daysSinceOrder: 3 }), defaults);
		expect(transit.eligibility).toBe('needs_review');
		expect(transit.verdicts.map((x) => x.code)).toEqual(['window', 'not_delivered']);
	});

	it('keep a policy rule’s own refusal', () => {
		const r = validate(v(), { ...defaults, eligibility: 'needs_review' });
		expect(r.eligibility).toBe('needs_review');
		expect(r.verdicts.at(-1)).toEqual({ code: 'policy_rule', outcome: 'needs_review', params: {} });
	});

	it('widening the window never makes an eligible line ineligible', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 0, max: 400 }),
				fc.integer({ min: 0, max: 365 }),
				fc.integer({ min: 0, max: 365 }),
				(days, window, extra) => {
					const before = validate(v({ daysSinceDelivery: days }), { ...defaults, windowDays: window }).eligibility;
					const after = validate(v({ daysSinceDelivery: days }), { ...defaults, windowDays: window + extra }).eligibility;
					if (before === 'eligible') expect(after).toBe('eligible');
				}
			)
		);
	});
});
