/**
 * The policy's vocabulary, shared by the engine (src/lib/server/policy) and the editor's pages: the
 * resolutions, refund timings and item conditions, and how the editor's form lays out a rule's conditions.
 */

export const RESOLUTIONS = ['fix', 'exchange_variant', 'exchange_product', 'store_credit', 'refund'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export const REFUND_TIMINGS = ['at_approval', 'at_drop_off', 'after_inspection'] as const;
export type RefundTiming = (typeof REFUND_TIMINGS)[number];

export const ITEM_CONDITIONS = ['unopened', 'opened', 'used', 'damaged'] as const;
export type ItemCondition = (typeof ITEM_CONDITIONS)[number];

export const ELIGIBILITIES = ['eligible', 'needs_review', 'not_eligible'] as const;
export type Eligibility = (typeof ELIGIBILITIES)[number];

/** Conditions typed as a from–to pair, and how their numbers are written. */
export const RANGE_CONDITIONS = [
	{ key: 'daysSinceDelivery', kind: 'days' },
	{ key: 'daysSinceOrder', kind: 'days' },
	{ key: 'unitPrice', kind: 'money' },
	{ key: 'orderValue', kind: 'money' },
	{ key: 'customerReturnCount', kind: 'count' },
	{ key: 'customerReturnRateBasisPoints', kind: 'percent' },
	{ key: 'riskScore', kind: 'score' },
	{ key: 'customerReturnsLast30Days', kind: 'count' },
	{ key: 'customerReturnsLast365Days', kind: 'count' }
] as const;
/** Conditions typed as comma-separated lists. */
export const LIST_CONDITIONS = ['categories', 'tags', 'skus', 'countries'] as const;
/** Yes / no / any. */
export const FLAG_CONDITIONS = ['finalSale', 'discounted', 'blocklisted', 'allowlisted'] as const;
/** Checkbox groups. */
export const CHOICE_CONDITIONS = ['reasons', 'itemConditions'] as const;

/** A policy has at most this many rules (the schema says so too). */
export const MAX_RULES = 100;

/** How many rules the editor's values hold (the form carries it in a hidden field), within 0–MAX_RULES. */
export function ruleCount(values: Record<string, string | string[] | undefined>): number {
	const raw = values.ruleCount;
	const n = Number(Array.isArray(raw) ? raw[0] : raw);
	return Number.isInteger(n) ? Math.min(Math.max(n, 0), MAX_RULES) : 0;
}
