import { describe, expect, it } from 'vitest';
import { decideLine, PolicyRefusal, quoteReturn, type DecideInput } from './decide';
import type { Outputs, Policy } from './rules';

const defaults: Outputs = {
	eligibility: 'eligible',
	windowDays: 30,
	resolutions: ['exchange_variant', 'store_credit', 'refund'],
	restockingFeeBasisPoints: 1000,
	returnShippingFee: 495,
	waiveFeesForExchange: true,
	bonusCreditBasisPoints: 1000,
	keepItemBelow: 0,
	photosRequired: false,
	refundTiming: 'after_inspection'
};
const policy: Policy = { defaults, rules: [] };

const input = (over: Partial<DecideInput> = {}): DecideInput => ({
	daysSinceDelivery: 20,
	daysSinceOrder: 23,
	category: 'clothing/jeans',
	tags: [],
	sku: 'JEAN',
	unitPrice: 8900,
	finalSale: false,
	discounted: false,
	reason: 'too_small',
	itemCondition: 'opened',
	country: 'FR',
	customerReturnCount: 0,
	customerReturnRateBasisPoints: 0,
	orderValue: 8900,
	riskScore: null,
	quantityRequested: 1,
	quantityLeft: 1,
	isWithdrawal: false,
	wholeOrder: true,
	...over
});

const line = (decision: ReturnType<typeof decideLine>) => ({ orderLineId: 'l1', quantity: 1, orderedQuantity: 1, alreadyReturned: 0, paidAmount: 8900, decision });

describe('decideLine', () => {
	it('explains an eligible line past the withdrawal period by its window', () => {
		const d = decideLine(policy, input());
		expect(d.eligibility).toBe('eligible');
		expect(d.floor).toBeNull();
		expect(d.explanation.en).toBe('Eligible: delivered 20 days ago, within the 30-day window.');
	});

	it('explains a refusal after the window', () => {
		const d = decideLine(policy, input({ daysSinceDelivery: 40 }));
		expect(d.eligibility).toBe('not_eligible');
		expect(d.explanation.fr).toBe('Non éligible : livré il y a 40 jours, après le délai de 30 jours.');
	});
});

describe('quoteReturn', () => {
	it('charges the fees on a refund, waives them on an exchange, adds the bonus on store credit', () => {
		const d = decideLine(policy, input());
		expect(quoteReturn({ currency: 'EUR', resolution: 'refund', lines: [line(d)], outboundShipping: 495 })).toMatchObject({
			fees: [
				{ code: 'restocking', amount: 890 },
				{ code: 'return_shipping', amount: 495 }
			],
			total: 8900 - 890 - 495,
			shipping: 0
		});
		expect(quoteReturn({ currency: 'EUR', resolution: 'exchange_variant', lines: [line(d)], outboundShipping: 495 })).toMatchObject({ fees: [], total: 8900 });
		expect(quoteReturn({ currency: 'EUR', resolution: 'store_credit', lines: [line(d)], outboundShipping: 495 })).toMatchObject({
			bonus: 890,
			total: 8900 - 890 - 495 + 890
		});
	});

	it('refunds a withdrawal of the whole order with its outbound delivery and no restocking fee', () => {
		const d = decideLine(policy, input({ daysSinceDelivery: 3, isWithdrawal: true }));
		const q = quoteReturn({ currency: 'EUR', resolution: 'refund', lines: [line(d)], outboundShipping: 495 });
		expect(q.fees).toEqual([{ code: 'return_shipping', amount: 495 }]);
		expect(q.shipping).toBe(495);
		expect(q.total).toBe(8900);
	});

	it('refuses to quote a line that is not eligible, or a resolution not offered', () => {
		const refused = decideLine(policy, input({ daysSinceDelivery: 40 }));
		expect(() => quoteReturn({ currency: 'EUR', resolution: 'refund', lines: [line(refused)], outboundShipping: 0 })).toThrow(PolicyRefusal);
		const d = decideLine({ defaults: { ...defaults, resolutions: ['store_credit'] }, rules: [] }, input());
		expect(() => quoteReturn({ currency: 'EUR', resolution: 'refund', lines: [line(d)], outboundShipping: 0 })).toThrow(/not offered/);
	});

	it('quotes a fix as nothing paid and nothing charged: the item stays and works', () => {
		const d = decideLine({ defaults: { ...defaults, resolutions: ['fix', 'refund'] }, rules: [] }, input());
		expect(quoteReturn({ currency: 'EUR', resolution: 'fix', lines: [line(d)], outboundShipping: 495 })).toEqual({
			currency: 'EUR',
			lines: [{ orderLineId: 'l1', quantity: 1, amount: 0 }],
			fees: [],
			bonus: 0,
			shipping: 0,
			total: 0
		});
	});

	it('deducts diminished value found at inspection, even on a withdrawal where no restocking fee is allowed', () => {
		const d = decideLine(policy, input({ daysSinceDelivery: 3, isWithdrawal: true }));
		const q = quoteReturn({ currency: 'EUR', resolution: 'refund', lines: [line(d)], outboundShipping: 0, deductions: [{ code: 'diminished_value', amount: 1500 }] });
		expect(q.fees).toEqual([
			{ code: 'return_shipping', amount: 495 },
			{ code: 'diminished_value', amount: 1500 }
		]);
		expect(q.total).toBe(8900 - 495 - 1500);
	});
});

describe('fees per line', () => {
	it('takes each line’s restocking percentage on that line only, and its bonus likewise', () => {
		const us = { country: 'US' };
		const p: Policy = {
			defaults: { ...defaults, restockingFeeBasisPoints: 0, returnShippingFee: 0, bonusCreditBasisPoints: 0 },
			rules: [{ id: 'elec', name: 'Electronics', when: { categories: ['electronics'] }, then: { restockingFeeBasisPoints: 1500, bonusCreditBasisPoints: 1000 } }]
		};
		const dress = decideLine(p, input({ ...us, category: 'clothing/dresses', unitPrice: 50_000 }));
		const cable = decideLine(p, input({ ...us, category: 'electronics/cables', unitPrice: 2000 }));
		const lines = [
			{ orderLineId: 'dress', quantity: 1, orderedQuantity: 1, alreadyReturned: 0, paidAmount: 50_000, decision: dress },
			{ orderLineId: 'cable', quantity: 1, orderedQuantity: 1, alreadyReturned: 0, paidAmount: 2000, decision: cable }
		];
		expect(quoteReturn({ currency: 'EUR', resolution: 'refund', lines, outboundShipping: 0 })).toMatchObject({
			fees: [{ code: 'restocking', amount: 300 }],
			total: 52_000 - 300
		});
		expect(quoteReturn({ currency: 'EUR', resolution: 'store_credit', lines, outboundShipping: 0 })).toMatchObject({ bonus: 200 });
	});

	it('charges no return shipping when the customer keeps the item', () => {
		const d = decideLine({ defaults: { ...defaults, restockingFeeBasisPoints: 0, keepItemBelow: 10_000 }, rules: [] }, input({ country: 'US' }));
		expect(quoteReturn({ currency: 'EUR', resolution: 'refund', lines: [line(d)], outboundShipping: 0, keepItem: true })).toMatchObject({ fees: [], total: 8900 });
		expect(quoteReturn({ currency: 'EUR', resolution: 'refund', lines: [line(d)], outboundShipping: 0 }).fees).toEqual([{ code: 'return_shipping', amount: 495 }]);
	});
});

describe('an order in another currency than the policy’s amounts', () => {
	it('gets no fixed fee, no keep-the-item and no money condition, but its percentages', () => {
		const p: Policy = {
			currency: 'EUR',
			defaults: { ...defaults, returnShippingFee: 495, keepItemBelow: 1000, restockingFeeBasisPoints: 1000 },
			rules: [{ id: 'cheap', name: 'Cheap', when: { unitPrice: { max: 10_000 } }, then: { photosRequired: true } }]
		};
		const eur = decideLine(p, input({ country: 'US', currency: 'EUR' }));
		expect([eur.outputs.returnShippingFee, eur.outputs.keepItemBelow, eur.outputs.photosRequired]).toEqual([495, 1000, true]);
		const jpy = decideLine(p, input({ country: 'US', currency: 'JPY', unitPrice: 8900 }));
		expect([jpy.outputs.returnShippingFee, jpy.outputs.keepItemBelow, jpy.outputs.photosRequired, jpy.outputs.restockingFeeBasisPoints]).toEqual([0, 0, false, 1000]);
	});
});

describe('every output a rule sets reaches the decision (outside the EU, where only the rules speak)', () => {
	const us = (over: Partial<DecideInput> = {}) => input({ country: 'US', ...over });
	const cases: [keyof Outputs, Partial<Outputs>, unknown][] = [
		['eligibility', { eligibility: 'needs_review' }, 'needs_review'],
		['windowDays', { windowDays: 90 }, 90],
		['resolutions', { resolutions: ['store_credit', 'refund'] }, ['store_credit', 'refund']],
		['restockingFeeBasisPoints', { restockingFeeBasisPoints: 2000 }, 2000],
		['returnShippingFee', { returnShippingFee: 700 }, 700],
		['waiveFeesForExchange', { waiveFeesForExchange: false }, false],
		['bonusCreditBasisPoints', { bonusCreditBasisPoints: 1500 }, 1500],
		['keepItemBelow', { keepItemBelow: 10_000 }, 10_000],
		['photosRequired', { photosRequired: true }, true],
		['refundTiming', { refundTiming: 'at_approval' }, 'at_approval']
	];
	it.each(cases)('%s', (key, then, expected) => {
		const d = decideLine({ defaults, rules: [{ id: 'r', name: 'Rule', when: { categories: ['clothing'] }, then }] }, us());
		expect(d.outputs[key]).toEqual(expected);
		expect(d.matchedRules).toEqual(['r']);
		const other = decideLine({ defaults, rules: [{ id: 'r', name: 'Rule', when: { categories: ['electronics'] }, then }] }, us());
		expect(other.outputs[key]).toEqual(defaults[key]);
	});

	it('a rule’s needs-review and not-eligible answers reach the line, explained', () => {
		const review = decideLine({ defaults, rules: [{ id: 'r', name: 'R', when: {}, then: { eligibility: 'needs_review' } }] }, us());
		expect([review.eligibility, review.explanation.en]).toEqual(['needs_review', 'To be reviewed: the shop reviews returns like this one.']);
		const refused = decideLine({ defaults, rules: [{ id: 'r', name: 'R', when: {}, then: { eligibility: 'not_eligible' } }] }, us());
		expect([refused.eligibility, refused.explanation.en]).toEqual(['not_eligible', 'Not eligible: the shop’s return policy excludes this item.']);
	});
});
