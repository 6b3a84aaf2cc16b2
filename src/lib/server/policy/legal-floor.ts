import { EU_COUNTRIES } from '../shops/service';
import { stricter, type Eligibility, type Outputs, type RefundTiming } from './rules';
import type { Verdict } from './validators';

/**
 * Consumer law that merchant rules cannot lower, as data so more jurisdictions can be added. EU: the
 * Consumer Rights Directive 2011/83/EU as amended — withdrawal from the order until 14 days after delivery,
 * without a reason; refund of the goods and the standard outbound delivery to the original means of
 * payment (store credit only when the customer picks it), due within 14 days, which may wait for the goods
 * or proof of sending; no restocking fee, only the direct cost of returning when the policy says so.
 */
export interface Jurisdiction {
	code: string;
	countries: readonly string[];
	withdrawalDays: number; // after delivery
	refundDueDays: number; // after the withdrawal
	/** The latest point the refund may wait for. */
	latestRefundTiming: RefundTiming;
	restockingFeeAllowed: boolean;
	outboundShippingRefunded: boolean;
}

export const JURISDICTIONS: Jurisdiction[] = [
	{
		// The Consumer Rights Directive applies in the whole European Economic Area.
		code: 'EU',
		countries: [...EU_COUNTRIES, 'IS', 'LI', 'NO'],
		withdrawalDays: 14,
		refundDueDays: 14,
		latestRefundTiming: 'at_drop_off',
		restockingFeeAllowed: false,
		outboundShippingRefunded: true
	}
];

export function jurisdictionFor(country: string): Jurisdiction | null {
	return JURISDICTIONS.find((j) => j.countries.includes(country)) ?? null;
}

const TIMING_ORDER: RefundTiming[] = ['at_approval', 'at_drop_off', 'after_inspection'];

export interface FloorFacts {
	country: string; // where the consumer's order was shipped
	daysSinceDelivery: number | null; // null: not delivered yet (withdrawal already possible)
	isWithdrawal: boolean; // the customer used the withdrawal function
	/** The line is the whole rest of the order, so the outbound delivery is refunded too. */
	wholeOrder: boolean;
}

export interface Floored {
	eligibility: Eligibility;
	outputs: Outputs;
	verdicts: Verdict[];
	/** Set when the legal floor applied: which law, until when, and whether delivery is refunded. */
	floor: { jurisdiction: string; withdrawalDaysLeft: number; refundOutboundShipping: boolean; refundDueDays: number } | null;
}

/** Applied last: within the withdrawal period no rule, window or label can refuse a refund the law grants. */
export function applyLegalFloor(
	result: { eligibility: Eligibility; outputs: Outputs; verdicts: Verdict[] },
	facts: FloorFacts
): Floored {
	const j = jurisdictionFor(facts.country);
	const daysLeft = j ? j.withdrawalDays - (facts.daysSinceDelivery ?? 0) : -1;
	if (!j || daysLeft < 0) {
		if (facts.isWithdrawal) {
			return {
				...result,
				eligibility: 'not_eligible',
				verdicts: [...result.verdicts, { code: 'withdrawal_period', outcome: 'not_eligible', params: { withdrawalDays: j?.withdrawalDays ?? 0 } }],
				floor: null
			};
		}
		return { ...result, floor: null };
	}
	// Only what the law itself allows may still refuse: more units than were bought. A person may still
	// look at an ordinary return; a withdrawal is nobody's to review (its refund may only wait for the goods).
	const keep = (v: Verdict) =>
		v.code === 'quantity_left' || v.outcome === 'eligible' || (!facts.isWithdrawal && v.outcome === 'needs_review');
	const kept = result.verdicts.filter(keep);
	const eligibility = kept.reduce<Eligibility>((e, v) => stricter(e, v.outcome), 'eligible');
	const o = result.outputs;
	const resolutions = facts.isWithdrawal
		? (['refund', ...(o.resolutions.includes('store_credit') ? (['store_credit'] as const) : [])] as Outputs['resolutions'])
		: o.resolutions.includes('refund')
			? o.resolutions
			: [...o.resolutions, 'refund' as const];
	const timing =
		TIMING_ORDER.indexOf(o.refundTiming) > TIMING_ORDER.indexOf(j.latestRefundTiming) ? j.latestRefundTiming : o.refundTiming;
	return {
		eligibility,
		outputs: {
			...o,
			eligibility,
			resolutions,
			restockingFeeBasisPoints: j.restockingFeeAllowed ? o.restockingFeeBasisPoints : 0,
			bonusCreditBasisPoints: o.bonusCreditBasisPoints,
			refundTiming: timing
		},
		verdicts: [
			...kept,
			{ code: 'withdrawal_period', outcome: 'eligible', params: { daysLeft, withdrawalDays: j.withdrawalDays } }
		],
		floor: {
			jurisdiction: j.code,
			withdrawalDaysLeft: daysLeft,
			refundOutboundShipping: j.outboundShippingRefunded && facts.isWithdrawal && facts.wholeOrder,
			refundDueDays: j.refundDueDays
		}
	};
}
