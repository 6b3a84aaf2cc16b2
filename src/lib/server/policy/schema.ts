import * as z from 'zod';
import { MAX_AMOUNT } from '../api/schema';
import { ITEM_CONDITIONS, REFUND_TIMINGS, RESOLUTIONS, type Policy } from './rules';

/**
 * A policy document as stored in a version and as the editor submits it: every field checked, every
 * error naming its field (`rules[1].when.daysSinceDelivery`) and saying what is wrong.
 */

const MAX_DAYS = 3650;
const days = z.int('must be a whole number of days').min(0, 'must not be negative').max(MAX_DAYS, `must be at most ${MAX_DAYS} days`);
const amount = z.int('must be a whole amount').min(0, 'must not be negative').max(MAX_AMOUNT, 'is too large');
const basisPoints = z.int('must be a whole number of basis points').min(0, 'must not be negative').max(10_000, 'must be at most 100 %');

const range = (value: z.ZodInt) =>
	z
		.strictObject({ min: value.optional(), max: value.optional() })
		.refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, 'the minimum must not be above the maximum')
		.refine((r) => r.min !== undefined || r.max !== undefined, 'set a minimum, a maximum or both');

const list = (item: z.ZodType<string>, what: string) =>
	z.array(item).min(1, `list at least one ${what}`).max(500, `list at most 500 ${what}s`);

const text = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

const resolutions = z
	.array(z.enum(RESOLUTIONS, `must be one of ${RESOLUTIONS.join(', ')}`))
	.min(1, 'offer at least one resolution')
	.refine((r) => new Set(r).size === r.length, 'lists a resolution twice');

export const outputsSchema = z.strictObject({
	eligibility: z.enum(['eligible', 'needs_review', 'not_eligible'], 'must be eligible, needs_review or not_eligible'),
	windowDays: days,
	resolutions,
	restockingFeeBasisPoints: basisPoints,
	returnShippingFee: amount,
	waiveFeesForExchange: z.boolean('must be true or false'),
	bonusCreditBasisPoints: basisPoints,
	keepItemBelow: amount,
	photosRequired: z.boolean('must be true or false'),
	refundTiming: z.enum(REFUND_TIMINGS, `must be one of ${REFUND_TIMINGS.join(', ')}`)
});

export const conditionsSchema = z.strictObject({
	daysSinceDelivery: range(days).optional(),
	daysSinceOrder: range(days).optional(),
	categories: list(z.string().trim().regex(/^[a-z0-9][a-z0-9_\-/]*$/, 'must be a category path like "clothing/jeans"'), 'category').optional(),
	tags: list(text, 'tag').optional(),
	skus: list(text, 'SKU').optional(),
	unitPrice: range(amount).optional(),
	finalSale: z.boolean().optional(),
	discounted: z.boolean().optional(),
	reasons: list(z.string().regex(/^[a-z][a-z0-9_]{1,62}$/, 'must be a return reason code like "too_small"'), 'reason').optional(),
	itemConditions: list(z.enum(ITEM_CONDITIONS, `must be one of ${ITEM_CONDITIONS.join(', ')}`), 'condition').optional(),
	countries: list(z.string().regex(/^[A-Z]{2}$/, 'must be a two-letter country code like "FR"'), 'country').optional(),
	customerReturnCount: range(z.int('must be a whole number').min(0, 'must not be negative')).optional(),
	customerReturnRateBasisPoints: range(basisPoints).optional(),
	orderValue: range(amount).optional(),
	riskScore: range(z.int('must be a whole number').min(0, 'must be 0–100').max(100, 'must be 0–100')).optional(),
	customerReturnsLast30Days: range(z.int('must be a whole number').min(0, 'must not be negative')).optional(),
	customerReturnsLast365Days: range(z.int('must be a whole number').min(0, 'must not be negative')).optional(),
	blocklisted: z.boolean('must be true or false').optional(),
	allowlisted: z.boolean('must be true or false').optional()
});

export const ruleSchema = z.strictObject({
	id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be a short identifier like "sale-items"'),
	name: text,
	when: conditionsSchema,
	then: outputsSchema.partial().refine((t) => Object.keys(t).length > 0, 'a rule must change at least one outcome')
});

export const policySchema = z
	.strictObject({
		currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 currency code like "EUR"').optional(),
		defaults: outputsSchema,
		rules: z.array(ruleSchema).max(100, 'a policy has at most 100 rules')
	})
	.superRefine((p, ctx) => {
		const seen = new Set<string>();
		p.rules.forEach((r, i) => {
			if (seen.has(r.id)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `another rule already uses the identifier "${r.id}"` });
			seen.add(r.id);
			// A score is a suspicion, not a finding: it may hold a refund or call a person, never refuse.
			if (r.when.riskScore !== undefined && r.then.eligibility === 'not_eligible') {
				ctx.addIssue({
					code: 'custom',
					path: ['rules', i, 'then', 'eligibility'],
					message: 'a rule on the risk score cannot refuse a return: send it to review ("needs_review"), and a person decides'
				});
			}
		});
	});

export interface PolicyIssue {
	path: string; // rules[1].when.daysSinceDelivery
	message: string;
}

export function issuePath(path: readonly PropertyKey[]): string {
	return path.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${String(k)}` : String(k)), '');
}

export type ParsedPolicy = { ok: true; policy: Policy } | { ok: false; issues: PolicyIssue[] };

export function parsePolicy(input: unknown): ParsedPolicy {
	const result = policySchema.safeParse(input);
	if (result.success) return { ok: true, policy: result.data as Policy };
	return { ok: false, issues: result.error.issues.map((i) => ({ path: issuePath(i.path), message: i.message })) };
}
