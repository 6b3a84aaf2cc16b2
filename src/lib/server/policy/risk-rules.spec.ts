import { describe, expect, it } from 'vitest';
import { decideLine, type DecideInput } from './decide';
import { DEFAULT_POLICY, RISK_RULES } from './defaults';
import { parsePolicy } from './schema';

const facts = (over: Partial<DecideInput> = {}): DecideInput => ({
	currency: 'USD',
	daysSinceDelivery: 20,
	daysSinceOrder: 24,
	category: 'electronics/consoles',
	tags: [],
	sku: 'CONSOLE',
	unitPrice: 49_900,
	finalSale: false,
	discounted: false,
	reason: 'defective',
	itemCondition: null,
	country: 'US',
	customerReturnCount: 2,
	customerReturnRateBasisPoints: 5000,
	orderValue: 49_900,
	riskScore: 0,
	quantityRequested: 1,
	quantityLeft: 1,
	isWithdrawal: false,
	wholeOrder: true,
	...over
});

describe('the default policy’s risk rules', () => {
	it('come first, so a later rule cannot pay a suspicious return on approval', () => {
		expect(DEFAULT_POLICY.rules.slice(0, RISK_RULES.length)).toEqual(RISK_RULES);
		// "defective" is paid on approval by the damaged-items rule, unless the score holds it.
		expect(decideLine(DEFAULT_POLICY, facts({ riskScore: 10 })).outputs.refundTiming).toBe('at_approval');
		expect(decideLine(DEFAULT_POLICY, facts({ riskScore: 45 })).outputs.refundTiming).toBe('after_inspection');
	});

	it('hold the refund from 40, send to a person with photos from 70, and never refuse', () => {
		const held = decideLine(DEFAULT_POLICY, facts({ riskScore: 45 }));
		expect(held.eligibility).toBe('eligible');
		const high = decideLine(DEFAULT_POLICY, facts({ riskScore: 85 }));
		expect(high.eligibility).toBe('needs_review');
		expect(high.outputs.photosRequired).toBe(true);
		expect(high.matchedRules).toEqual(expect.arrayContaining(['risk-review', 'risk-hold']));
		for (let score = 0; score <= 100; score += 5) expect(decideLine(DEFAULT_POLICY, facts({ riskScore: score })).eligibility).not.toBe('not_eligible');
	});

	it('leave a customer on the allow list alone, and send one on the block list to a person', () => {
		const trusted = decideLine(DEFAULT_POLICY, facts({ riskScore: 90, allowlisted: true }));
		expect(trusted.eligibility).toBe('eligible');
		expect(trusted.outputs.refundTiming).toBe('at_approval');
		expect(decideLine(DEFAULT_POLICY, facts({ blocklisted: true })).eligibility).toBe('needs_review');
	});

	it('read return limits: returns in the last 30 days and 12 months', () => {
		const limited = { ...DEFAULT_POLICY, rules: [{ id: 'limit', name: 'Three a month', when: { customerReturnsLast30Days: { min: 3 } }, then: { eligibility: 'needs_review' as const } }] };
		expect(decideLine(limited, facts({ customerReturnsLast30Days: 2 })).eligibility).toBe('eligible');
		expect(decideLine(limited, facts({ customerReturnsLast30Days: 3 })).eligibility).toBe('needs_review');
	});

	it('cannot be made to refuse: a rule on the score that refuses is refused with the reason', () => {
		const result = parsePolicy({
			...DEFAULT_POLICY,
			rules: [{ id: 'no-risky', name: 'No risky returns', when: { riskScore: { min: 80 } }, then: { eligibility: 'not_eligible' } }]
		});
		expect(result).toEqual({
			ok: false,
			issues: [
				{
					path: 'rules[0].then.eligibility',
					message: 'a rule on the risk score cannot refuse a return: send it to review ("needs_review"), and a person decides'
				}
			]
		});
		expect(parsePolicy(DEFAULT_POLICY).ok).toBe(true);
	});
});
