import { stricter, type Eligibility, type LineFacts, type Outputs } from './rules';

/**
 * Eligibility as a list of validators (as Solidus does): each answers eligible, needs a person, or not
 * eligible, with a reason code and the numbers an explanation needs. All must pass; any one can send the
 * line to review.
 */
export interface Verdict {
	code: 'window' | 'final_sale' | 'quantity_left' | 'not_delivered' | 'policy_rule' | 'withdrawal_period';
	outcome: Eligibility;
	params: Record<string, number | string>;
}

export interface ValidationFacts extends LineFacts {
	quantityRequested: number;
	quantityLeft: number;
}

export type Validator = (facts: ValidationFacts, outputs: Outputs) => Verdict | null;

export const withinWindow: Validator = (f, o) => {
	const days = f.daysSinceDelivery ?? f.daysSinceOrder;
	const from = f.daysSinceDelivery === null ? 'order' : 'delivery';
	return days <= o.windowDays
		? { code: 'window', outcome: 'eligible', params: { days, windowDays: o.windowDays, from } }
		: { code: 'window', outcome: 'not_eligible', params: { days, windowDays: o.windowDays, from } };
};

export const notFinalSale: Validator = (f) => (f.finalSale ? { code: 'final_sale', outcome: 'not_eligible', params: {} } : null);

export const quantityLeft: Validator = (f) =>
	f.quantityRequested > f.quantityLeft
		? { code: 'quantity_left', outcome: 'not_eligible', params: { requested: f.quantityRequested, left: f.quantityLeft } }
		: null;

/** A parcel still on its way can be announced for return, but a person looks at it. */
export const delivered: Validator = (f) =>
	f.daysSinceDelivery === null ? { code: 'not_delivered', outcome: 'needs_review', params: { daysSinceOrder: f.daysSinceOrder } } : null;

export const DEFAULT_VALIDATORS: Validator[] = [withinWindow, notFinalSale, quantityLeft, delivered];

export function validate(
	facts: ValidationFacts,
	outputs: Outputs,
	validators: Validator[] = DEFAULT_VALIDATORS
): { eligibility: Eligibility; verdicts: Verdict[] } {
	const verdicts = validators.map((v) => v(facts, outputs)).filter((v): v is Verdict => v !== null);
	const eligibility = verdicts.reduce<Eligibility>((e, v) => stricter(e, v.outcome), outputs.eligibility);
	if (outputs.eligibility !== 'eligible') verdicts.push({ code: 'policy_rule', outcome: outputs.eligibility, params: {} });
	return { eligibility, verdicts };
}
