import { moneyFormatter } from '$lib/money';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import type { PolicyChange } from '$lib/server/policy/changes';
import type { FieldError } from '$lib/server/policy/form';
import type { Conditions, Eligibility, ItemCondition, Outputs, RefundTiming, Resolution } from '$lib/server/policy/rules';

/** The policy's words for the merchant: labels, formatted values, errors and changes, in their language. */

export const RESOLUTION_LABEL: Record<Resolution, () => string> = {
	fix: m.policy_res_fix,
	exchange_variant: m.policy_res_exchange_variant,
	exchange_product: m.policy_res_exchange_product,
	store_credit: m.policy_res_store_credit,
	refund: m.policy_res_refund
};
export const ELIGIBILITY_LABEL: Record<Eligibility, () => string> = {
	eligible: m.policy_eligible,
	needs_review: m.policy_needs_review,
	not_eligible: m.policy_not_eligible
};
export const TIMING_LABEL: Record<RefundTiming, () => string> = {
	at_approval: m.policy_timing_at_approval,
	at_drop_off: m.policy_timing_at_drop_off,
	after_inspection: m.policy_timing_after_inspection
};
export const CONDITION_LABEL: Record<ItemCondition, () => string> = {
	unopened: m.policy_condition_unopened,
	opened: m.policy_condition_opened,
	used: m.policy_condition_used,
	damaged: m.policy_condition_damaged
};

/** The outcomes in the order merchants read them. */
export const OUTPUT_FIELDS: (keyof Outputs)[] = [
	'eligibility',
	'windowDays',
	'resolutions',
	'restockingFeeBasisPoints',
	'returnShippingFee',
	'waiveFeesForExchange',
	'bonusCreditBasisPoints',
	'keepItemBelow',
	'photosRequired',
	'refundTiming'
];

/** "Label: value" with the locale's colon (French puts a space before it). */
export const labelled = (label: string, value: string) => (getLocale() === 'fr' ? `${label} : ${value}` : `${label}: ${value}`);

export function outputLabel(field: keyof Outputs, currency: string): string {
	switch (field) {
		case 'eligibility':
			return m.policy_out_eligibility();
		case 'windowDays':
			return m.policy_out_windowDays();
		case 'resolutions':
			return m.policy_out_resolutions();
		case 'restockingFeeBasisPoints':
			return m.policy_out_restockingFee();
		case 'returnShippingFee':
			return m.policy_out_returnShippingFee({ currency });
		case 'waiveFeesForExchange':
			return m.policy_out_waiveFeesForExchange();
		case 'bonusCreditBasisPoints':
			return m.policy_out_bonusCredit();
		case 'keepItemBelow':
			return m.policy_out_keepItemBelow({ currency });
		case 'photosRequired':
			return m.policy_out_photosRequired();
		case 'refundTiming':
			return m.policy_out_refundTiming();
	}
}

const percent = (bp: number) => new Intl.NumberFormat(getLocale(), { maximumFractionDigits: 2 }).format(bp / 100) + ' %';

export function formatOutput(field: keyof Outputs, value: unknown, currency: string): string {
	const money = moneyFormatter(getLocale());
	switch (field) {
		case 'eligibility':
			return ELIGIBILITY_LABEL[value as Eligibility]();
		case 'windowDays':
			return m.policy_days({ n: value as number });
		case 'resolutions':
			return (value as Resolution[]).map((r) => RESOLUTION_LABEL[r]()).join(' → ');
		case 'restockingFeeBasisPoints':
		case 'bonusCreditBasisPoints':
			return percent(value as number);
		case 'returnShippingFee':
		case 'keepItemBelow':
			return money(value as number, currency);
		case 'waiveFeesForExchange':
		case 'photosRequired':
			return value ? m.policy_yes() : m.policy_no();
		case 'refundTiming':
			return TIMING_LABEL[value as RefundTiming]();
	}
}

/** A rule's conditions as short phrases: "Days since delivery: 3–20", "Return reasons: Too small". */
export function describeConditions(when: Conditions, currency: string, reasonLabel: (code: string) => string): string[] {
	const money = moneyFormatter(getLocale());
	const range = (r: { min?: number; max?: number }, f: (n: number) => string) =>
		r.min !== undefined && r.max !== undefined ? `${f(r.min)}–${f(r.max)}` : r.min !== undefined ? `≥ ${f(r.min)}` : `≤ ${f(r.max!)}`;
	const out: string[] = [];
	const say = (label: string, value: string) => out.push(labelled(label, value));
	const plain = (n: number) => String(n);
	const cash = (n: number) => money(n, currency);
	if (when.daysSinceDelivery) say(m.policy_cond_daysSinceDelivery(), `${range(when.daysSinceDelivery, plain)}`);
	if (when.daysSinceOrder) say(m.policy_cond_daysSinceOrder(), `${range(when.daysSinceOrder, plain)}`);
	if (when.categories) say(m.policy_cond_categories(), `${when.categories.join(', ')}`);
	if (when.tags) say(m.policy_cond_tags(), `${when.tags.join(', ')}`);
	if (when.skus) say(m.policy_cond_skus(), `${when.skus.join(', ')}`);
	if (when.unitPrice) say(m.policy_cond_unitPrice({ currency }), `${range(when.unitPrice, cash)}`);
	if (when.finalSale !== undefined) say(m.policy_cond_finalSale(), `${when.finalSale ? m.policy_yes() : m.policy_no()}`);
	if (when.discounted !== undefined) say(m.policy_cond_discounted(), `${when.discounted ? m.policy_yes() : m.policy_no()}`);
	if (when.reasons) say(m.policy_cond_reasons(), `${when.reasons.map(reasonLabel).join(', ')}`);
	if (when.itemConditions) say(m.policy_cond_itemConditions(), `${when.itemConditions.map((c) => CONDITION_LABEL[c]()).join(', ')}`);
	if (when.countries) say(m.policy_cond_countries(), `${when.countries.join(', ')}`);
	if (when.customerReturnCount) say(m.policy_cond_customerReturnCount(), `${range(when.customerReturnCount, plain)}`);
	if (when.customerReturnRateBasisPoints) say(m.policy_cond_customerReturnRateBasisPoints(), `${range(when.customerReturnRateBasisPoints, percent)}`);
	if (when.orderValue) say(m.policy_cond_orderValue({ currency }), `${range(when.orderValue, cash)}`);
	if (when.riskScore) say(m.policy_cond_riskScore(), `${range(when.riskScore, plain)}`);
	if (when.customerReturnsLast30Days) say(m.policy_cond_customerReturnsLast30Days(), `${range(when.customerReturnsLast30Days, plain)}`);
	if (when.customerReturnsLast365Days) say(m.policy_cond_customerReturnsLast365Days(), `${range(when.customerReturnsLast365Days, plain)}`);
	if (when.blocklisted !== undefined) say(m.policy_cond_blocklisted(), `${when.blocklisted ? m.policy_yes() : m.policy_no()}`);
	if (when.allowlisted !== undefined) say(m.policy_cond_allowlisted(), `${when.allowlisted ? m.policy_yes() : m.policy_no()}`);
	return out;
}

export function errorText(error: FieldError | undefined): string | null {
	if (!error) return null;
	const p = error.params ?? {};
	switch (error.code) {
		case 'whole_number':
			return m.policy_error_whole_number();
		case 'negative':
			return m.policy_error_negative();
		case 'too_large':
			return m.policy_error_too_large({ max: String(p.max) });
		case 'percent':
			return m.policy_error_percent();
		case 'money':
			return m.policy_error_money({ digits: String(p.digits) });
		case 'min_above_max':
			return m.policy_error_min_above_max();
		case 'required':
			return m.policy_error_required();
		case 'too_long':
			return m.policy_error_too_long({ max: String(p.max) });
		case 'no_resolution':
			return m.policy_error_no_resolution();
		case 'duplicate_rank':
			return m.policy_error_duplicate_rank();
		case 'no_outcome':
			return m.policy_error_no_outcome();
		case 'country':
			return m.policy_error_country({ value: String(p.value) });
		case 'category':
			return m.policy_error_category({ value: String(p.value) });
		case 'invalid':
			return error.message ?? m.policy_error_invalid();
	}
}

export function describeChange(change: PolicyChange, currency: string): string {
	switch (change.kind) {
		case 'created':
			return m.policy_change_created();
		case 'default':
			return m.policy_change_default({
				field: outputLabel(change.field, currency),
				before: formatOutput(change.field, change.before, currency),
				after: formatOutput(change.field, change.after, currency)
			});
		case 'rule_added':
			return m.policy_change_rule_added({ rule: change.rule });
		case 'rule_removed':
			return m.policy_change_rule_removed({ rule: change.rule });
		case 'rule_changed':
			return m.policy_change_rule_changed({ rule: change.rule });
		case 'rules_reordered':
			return m.policy_change_rules_reordered();
	}
}
