import { describe, expect, it } from 'vitest';
import { DEMO_POLICY } from '../demo/policy';
import { DEFAULT_POLICY } from './defaults';
import { editRules, parseMoney, parsePercent, policyFromValues, policyToValues, type FormValues } from './form';
import type { Policy } from './rules';

/** The default policy with its one rule for damaged items only (the tests number rules from it). */
const ONE_RULE: Policy = { ...DEFAULT_POLICY, rules: DEFAULT_POLICY.rules.filter((r) => r.id === 'damaged-or-wrong') };

const rich: Policy = {
	defaults: { ...DEFAULT_POLICY.defaults, restockingFeeBasisPoints: 1250, returnShippingFee: 495, bonusCreditBasisPoints: 1000, keepItemBelow: 1500 },
	rules: [
		{
			id: 'everything',
			name: 'Every condition',
			when: {
				daysSinceDelivery: { min: 3, max: 20 },
				daysSinceOrder: { max: 60 },
				categories: ['clothing/jeans', 'shoes'],
				tags: ['summer', 'outlet'],
				skus: ['JEAN-32'],
				unitPrice: { min: 1000, max: 99_999 },
				finalSale: false,
				discounted: true,
				reasons: ['too_small', 'too_large'],
				itemConditions: ['unopened', 'opened'],
				countries: ['FR', 'BE'],
				customerReturnCount: { min: 3 },
				customerReturnRateBasisPoints: { min: 4550 },
				orderValue: { max: 50_000 },
				riskScore: { min: 70 }
			},
			then: {
				eligibility: 'needs_review',
				windowDays: 14,
				resolutions: ['store_credit', 'refund'],
				restockingFeeBasisPoints: 0,
				returnShippingFee: 0,
				waiveFeesForExchange: false,
				bonusCreditBasisPoints: 1500,
				keepItemBelow: 0,
				photosRequired: true,
				refundTiming: 'after_inspection'
			}
		}
	]
};

describe('the policy form', () => {
	it.each([
		['the default policy', DEFAULT_POLICY],
		['the demo policy', DEMO_POLICY],
		['a rule with every condition and outcome', rich]
	])('gives back %s unchanged after a round trip through the form', (_, policy) => {
		expect(policyFromValues(policyToValues(policy, 'EUR'), 'EUR')).toEqual({ ok: true, policy: { ...policy, currency: 'EUR' } });
	});

	it.each([
		['12,5', 1250],
		['12.5', 1250],
		['7', 700],
		['0.05', 5],
		['100', 10_000],
		['15 %', 1500]
	])('reads the percentage %s as %i basis points', (text, bp) => {
		expect(parsePercent(text)).toEqual({ ok: true, value: bp });
	});

	it.each([
		['101', 'too_large'],
		['-3', 'negative'],
		['12.345', 'percent'],
		['douze', 'percent']
	])('refuses the percentage %s (%s)', (text, code) => {
		expect(parsePercent(text)).toMatchObject({ ok: false, error: { code } });
	});

	it.each([
		['4,95', 'EUR', 495],
		['4.95', 'EUR', 495],
		['1 200', 'EUR', 120_000],
		['500', 'JPY', 500],
		['1.5', 'KWD', 1500]
	])('reads the amount %s %s as %i minor units', (text, currency, minor) => {
		expect(parseMoney(text, currency)).toEqual({ ok: true, value: minor });
	});

	it.each([
		['4.955', 'EUR', 'money'],
		['4.5', 'JPY', 'money'],
		['-1', 'EUR', 'negative'],
		['99999999999999', 'EUR', 'money']
	])('refuses the amount %s %s (%s)', (text, currency, code) => {
		expect(parseMoney(text, currency)).toMatchObject({ ok: false, error: { code } });
	});

	it('names every error on its field with a code the page can translate', () => {
		const values: FormValues = {
			...policyToValues(ONE_RULE, 'EUR'),
			'defaults.windowDays': 'trente',
			'defaults.restockingFee': '120',
			'defaults.resolutions.fix': '',
			'defaults.resolutions.exchange_variant': '',
			'defaults.resolutions.exchange_product': '',
			'defaults.resolutions.store_credit': '',
			'defaults.resolutions.refund': '',
			ruleCount: '3',
			'rules[1].name': '',
			'rules[1].when.daysSinceDelivery.min': '20',
			'rules[1].when.daysSinceDelivery.max': '10',
			'rules[1].when.countries': 'FR, France',
			'rules[2].name': 'Nothing happens',
			'rules[2].when.unitPrice.min': '4,999',
			'rules[2].then.resolutions.refund': '1',
			'rules[2].then.resolutions.store_credit': '1'
		};
		const result = policyFromValues(values, 'EUR');
		expect(result.ok).toBe(false);
		expect(!result.ok && result.errors).toEqual({
			'defaults.windowDays': { code: 'whole_number' },
			'defaults.restockingFee': { code: 'too_large', params: { max: '100 %' } },
			'defaults.resolutions': { code: 'no_resolution' },
			'rules[1].name': { code: 'required' },
			'rules[1].when.daysSinceDelivery': { code: 'min_above_max' },
			'rules[1].when.countries': { code: 'country', params: { value: 'FRANCE' } },
			'rules[1].then': { code: 'no_outcome' },
			'rules[2].when.unitPrice.min': { code: 'money', params: { digits: 2 } },
			'rules[2].then.resolutions': { code: 'duplicate_rank' }
		});
	});

	it('gives a new rule an identifier from its name, unique in the policy', () => {
		const values: FormValues = {
			...policyToValues(ONE_RULE, 'EUR'),
			ruleCount: '2',
			'rules[1].name': 'Électronique ouverte',
			'rules[1].then.photosRequired': 'true'
		};
		const result = policyFromValues(values, 'EUR');
		expect(result.ok && result.policy.rules.map((r) => r.id)).toEqual(['damaged-or-wrong', 'electronique-ouverte']);
	});

	it('adds, removes and moves rules, keeping each rule’s fields together', () => {
		const values = policyToValues(rich, 'EUR');
		const added = editRules(values, { kind: 'add' });
		expect(added.ruleCount).toBe('2');
		expect(added['rules[1].name']).toBe('');
		const named = { ...added, 'rules[1].name': 'Second', 'rules[1].then.windowDays': '60' };
		const moved = editRules(named, { kind: 'up', index: 1 });
		expect([moved['rules[0].name'], moved['rules[0].then.windowDays'], moved['rules[1].name']]).toEqual(['Second', '60', 'Every condition']);
		expect(moved['rules[1].when.reasons']).toEqual(['too_small', 'too_large']);
		const removed = editRules(moved, { kind: 'remove', index: 0 });
		expect(policyFromValues(removed, 'EUR')).toEqual({ ok: true, policy: { ...rich, currency: 'EUR' } });
		expect(editRules(removed, { kind: 'down', index: 0 })).toEqual(removed);
	});

	it('keeps an existing rule’s identifier when a new rule with the same name is put above it', () => {
		const policy: Policy = { ...DEFAULT_POLICY, rules: [{ id: 'sale-items', name: 'Sale items', when: { discounted: true }, then: { windowDays: 14 } }] };
		const added = editRules(editRules(policyToValues(policy, 'EUR'), { kind: 'add' }), { kind: 'up', index: 1 });
		const result = policyFromValues({ ...added, 'rules[0].name': 'Sale items', 'rules[0].then.photosRequired': 'true' }, 'EUR');
		expect(result.ok && result.policy.rules.map((r) => [r.id, r.name])).toEqual([
			['sale-items-2', 'Sale items'],
			['sale-items', 'Sale items']
		]);
	});

	it('adds no rule beyond the hundredth, and never reads a larger count as none', () => {
		const many: FormValues = { ...policyToValues(DEFAULT_POLICY, 'EUR'), ruleCount: '100' };
		expect(editRules(many, { kind: 'add' }).ruleCount).toBe('100');
		expect(editRules({ ...many, ruleCount: '101' }, { kind: 'add' }).ruleCount).toBe('100');
	});
});
