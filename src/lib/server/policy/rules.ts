/**
 * A shop's return policy as ordered rules over shop defaults. Pure: the facts of one return line in,
 * the policy's outputs out. Combination (documented for merchants in the editor):
 *   - for each output, the first matching rule that sets it wins, else the shop default;
 *   - eligibility takes the most restrictive answer of every matching rule (not eligible > needs review > eligible);
 *   - the legal floor (legal-floor.ts) applies last, and no rule can lower it.
 */

import { type Eligibility, type ItemCondition, type RefundTiming, type Resolution } from '$lib/policy/vocabulary';

export { ELIGIBILITIES, ITEM_CONDITIONS, REFUND_TIMINGS, RESOLUTIONS } from '$lib/policy/vocabulary';
export type { Eligibility, ItemCondition, RefundTiming, Resolution };

/** An inclusive range; either end may be left open. */
export interface Range {
	min?: number;
	max?: number;
}

/** Every condition set on a rule must hold for the rule to match; an empty rule matches everything. */
export interface Conditions {
	daysSinceDelivery?: Range;
	daysSinceOrder?: Range;
	categories?: string[]; // "clothing" matches "clothing/jeans"
	tags?: string[]; // any of them
	skus?: string[];
	unitPrice?: Range; // minor units
	finalSale?: boolean;
	discounted?: boolean;
	reasons?: string[];
	itemConditions?: ItemCondition[];
	countries?: string[]; // shipping country
	customerReturnCount?: Range;
	customerReturnRateBasisPoints?: Range; // returned ÷ ordered units, 2,500 = 25 %
	orderValue?: Range; // minor units
	riskScore?: Range; // 0–100: the return's risk score (never a refusal on its own: see schema.ts)
	/** Return limits: the customer's returns in the last 30 / 365 days before this one. */
	customerReturnsLast30Days?: Range;
	customerReturnsLast365Days?: Range;
	/** The customer's email or address, the order, or the line's product is on the shop's block / allow list. */
	blocklisted?: boolean;
	allowlisted?: boolean;
}

/** What a rule can decide. Each output is optional on a rule; the shop's defaults set all of them. */
export interface Outputs {
	eligibility: Eligibility;
	windowDays: number; // from delivery (or from order when not delivered yet)
	resolutions: Resolution[]; // offered in this order
	restockingFeeBasisPoints: number;
	returnShippingFee: number; // minor units
	waiveFeesForExchange: boolean;
	bonusCreditBasisPoints: number; // on store credit
	keepItemBelow: number; // minor units: cheaper items are not sent back
	photosRequired: boolean;
	refundTiming: RefundTiming;
}

export interface Rule {
	id: string;
	name: string;
	when: Conditions;
	then: Partial<Outputs>;
}

export interface Policy {
	/**
	 * The currency its amounts (fees, thresholds, price conditions) are written in, the shop's. An order in
	 * another currency gets no fixed fee and no keep-the-item, and money conditions do not match it: an amount
	 * is never read in a currency it was not written in. Percentages apply to every currency.
	 */
	currency?: string;
	defaults: Outputs;
	rules: Rule[];
}

/** The facts of one return line that conditions read. Days are whole days, computed by the caller. */
export interface LineFacts {
	/** The order's currency; amounts below are in it. */
	currency?: string;
	daysSinceDelivery: number | null; // null: not delivered yet
	daysSinceOrder: number;
	category: string | null;
	tags: string[];
	sku: string | null;
	unitPrice: number;
	finalSale: boolean;
	discounted: boolean;
	reason: string | null;
	itemCondition: ItemCondition | null;
	country: string;
	customerReturnCount: number;
	customerReturnRateBasisPoints: number;
	orderValue: number;
	riskScore: number | null;
	/** Absent: none (0) and not listed. */
	customerReturnsLast30Days?: number;
	customerReturnsLast365Days?: number;
	blocklisted?: boolean;
	allowlisted?: boolean;
}

const inRange = (value: number | null, range: Range | undefined) =>
	range === undefined || (value !== null && (range.min === undefined || value >= range.min) && (range.max === undefined || value <= range.max));

const categoryMatches = (category: string | null, wanted: string[]) =>
	category !== null && wanted.some((w) => category === w || category.startsWith(w + '/'));

export function matches(when: Conditions, f: LineFacts, foreignCurrency = false): boolean {
	if (foreignCurrency && (when.unitPrice !== undefined || when.orderValue !== undefined)) return false;
	return (
		inRange(f.daysSinceDelivery, when.daysSinceDelivery) &&
		inRange(f.daysSinceOrder, when.daysSinceOrder) &&
		(when.categories === undefined || categoryMatches(f.category, when.categories)) &&
		(when.tags === undefined || when.tags.some((t) => f.tags.includes(t))) &&
		(when.skus === undefined || (f.sku !== null && when.skus.includes(f.sku))) &&
		inRange(f.unitPrice, when.unitPrice) &&
		(when.finalSale === undefined || when.finalSale === f.finalSale) &&
		(when.discounted === undefined || when.discounted === f.discounted) &&
		(when.reasons === undefined || (f.reason !== null && when.reasons.includes(f.reason))) &&
		(when.itemConditions === undefined || (f.itemCondition !== null && when.itemConditions.includes(f.itemCondition))) &&
		(when.countries === undefined || when.countries.includes(f.country)) &&
		inRange(f.customerReturnCount, when.customerReturnCount) &&
		inRange(f.customerReturnRateBasisPoints, when.customerReturnRateBasisPoints) &&
		inRange(f.orderValue, when.orderValue) &&
		inRange(f.riskScore, when.riskScore) &&
		inRange(f.customerReturnsLast30Days ?? 0, when.customerReturnsLast30Days) &&
		inRange(f.customerReturnsLast365Days ?? 0, when.customerReturnsLast365Days) &&
		(when.blocklisted === undefined || when.blocklisted === (f.blocklisted ?? false)) &&
		(when.allowlisted === undefined || when.allowlisted === (f.allowlisted ?? false))
	);
}

const STRICTNESS: Record<Eligibility, number> = { eligible: 0, needs_review: 1, not_eligible: 2 };

export function stricter(a: Eligibility, b: Eligibility): Eligibility {
	return STRICTNESS[b] > STRICTNESS[a] ? b : a;
}

export interface Resolved {
	outputs: Outputs;
	/** For each output, the rule that set it, or null for the shop default: what explanations cite. */
	source: { [K in keyof Outputs]: string | null };
	matchedRules: string[];
}

/** The policy's outputs for one line, before the validators and the legal floor. */
export function resolveOutputs(policy: Policy, facts: LineFacts): Resolved {
	const foreign = policy.currency !== undefined && facts.currency !== undefined && facts.currency !== policy.currency;
	const matched = policy.rules.filter((r) => matches(r.when, facts, foreign));
	const outputs = { ...policy.defaults, resolutions: [...policy.defaults.resolutions] };
	const source = Object.fromEntries(Object.keys(policy.defaults).map((k) => [k, null])) as Resolved['source'];
	const keys = Object.keys(policy.defaults) as (keyof Outputs)[];
	for (const key of keys) {
		if (key === 'eligibility') continue;
		const rule = matched.find((r) => r.then[key] !== undefined);
		if (rule) {
			(outputs as Record<string, unknown>)[key] = key === 'resolutions' ? [...rule.then.resolutions!] : rule.then[key];
			source[key] = rule.id;
		}
	}
	for (const rule of matched) {
		const e = rule.then.eligibility;
		if (e !== undefined && stricter(outputs.eligibility, e) !== outputs.eligibility) {
			outputs.eligibility = e;
			source.eligibility = rule.id;
		}
	}
	if (foreign) {
		outputs.returnShippingFee = 0;
		outputs.keepItemBelow = 0;
	}
	return { outputs, source, matchedRules: matched.map((r) => r.id) };
}
