import { isLate, type RiskFacts } from './facts';

/**
 * The risk score of a return, 0–100, as a sum of named signals each with its points and the numbers behind
 * it, so staff see why. Pure. The policy decides what a score does (rules on `riskScore`): by default a
 * refund waits for inspection from RISK_THRESHOLDS.hold and a person looks from RISK_THRESHOLDS.review. A score
 * never refuses a return by itself, and never touches a withdrawal's rights (the legal floor applies after).
 *
 * What is weighed is what tells abuse from an honest customer who returns a lot: what inspection found in
 * the past (used, empty box, wrong item), on this account or on accounts sharing its address or card;
 * brackets sent back whole rather than all but the size that fits; occasion wear sent back in the window's
 * last days; "never arrived" claims. A high return rate alone weighs little: heavy returners and
 * bracketers are mostly honest and must not be punished.
 */

export const SCORER_VERSION = 'risk-1';

export const RISK_THRESHOLDS = { hold: 40, review: 70 } as const;

export const SIGNAL_CODES = [
	'past_mismatch',
	'linked_mismatch',
	'past_used',
	'linked_used',
	'not_received_claims',
	'linked_not_received_claims',
	'bracket_returned_whole',
	'brackets_returned_whole_before',
	'large_bracket',
	'occasion_late',
	'late_returns_before',
	'late_return',
	'occasion_returns_before',
	'occasion_after_used',
	'high_value',
	'new_account_high_value',
	'new_account_fault_claim',
	'linked_accounts',
	'return_velocity',
	'high_return_rate'
] as const;
export type SignalCode = (typeof SIGNAL_CODES)[number];

export interface Signal {
	code: SignalCode;
	points: number;
	params: Record<string, number>;
}

export type RiskLevel = 'low' | 'elevated' | 'high';

export interface RiskAssessment {
	score: number;
	level: RiskLevel;
	/** Largest contribution first. */
	signals: Signal[];
}

/** Reasons that claim the item was at fault: an empty-box return always claims one. */
const FAULT_CLAIMS = ['defective', 'not_as_described', 'wrong_item', 'missing_parts', 'arrived_damaged'];

export const levelOf = (score: number): RiskLevel =>
	score >= RISK_THRESHOLDS.review ? 'high' : score >= RISK_THRESHOLDS.hold ? 'elevated' : 'low';

export function scoreReturn(f: RiskFacts): RiskAssessment {
	const signals: Signal[] = [];
	const add = (code: SignalCode, points: number, params: Record<string, number> = {}) => {
		if (points > 0) signals.push({ code, points: Math.round(points), params });
	};
	const h = f.history;
	const l = f.linked;
	const value = f.lines.reduce((s, x) => s + x.unitPrice * x.quantity, 0);
	const top = Math.max(0, ...f.lines.map((x) => x.unitPrice));

	// What inspection found before: the strongest evidence there is.
	// One mix-up among many clean returns happens to honest people; one in few rarely does, and two are a
	// pattern a person must see (review on their own).
	if (h.mismatchUnits > 0) add('past_mismatch', h.mismatchUnits >= 2 ? 70 : h.inspectedUnits <= 4 ? 45 : 20, { units: h.mismatchUnits, inspected: h.inspectedUnits });
	if (l.mismatchUnits > 0) add('linked_mismatch', l.mismatchUnits >= 2 ? 55 : 45, { units: l.mismatchUnits, accounts: l.accounts });
	// Worn goods: one can be an honest try-on; a habit is not.
	const usedShare = h.inspectedUnits > 0 ? h.usedUnits / h.inspectedUnits : 0;
	if (h.usedUnits >= 2 && usedShare >= 0.15) add('past_used', Math.min(40, 12 + usedShare * 60), { units: h.usedUnits, inspected: h.inspectedUnits });
	else if (h.usedUnits === 1 && h.inspectedUnits <= 4) add('past_used', 8, { units: 1, inspected: h.inspectedUnits });
	if (l.usedUnits >= 2) add('linked_used', 10, { units: l.usedUnits, accounts: l.accounts });
	if (h.notReceivedClaims > 0) add('not_received_claims', h.notReceivedClaims >= 2 ? 30 : 12, { claims: h.notReceivedClaims });
	if (l.notReceivedClaims > 0) add('linked_not_received_claims', l.notReceivedClaims >= 2 ? 30 : 18, { claims: l.notReceivedClaims, accounts: l.accounts });

	// Brackets: all but the size that fits is normal; every size back, or five at once, is not.
	const whole = f.lines.filter((x) => x.siblings >= 2 && x.siblingsReturned === x.siblings);
	const wholeSizes = Math.max(0, ...whole.map((x) => x.siblings));
	if (wholeSizes > 0) add('bracket_returned_whole', wholeSizes >= 3 ? 20 : 12, { sizes: wholeSizes });
	const mostBack = Math.max(0, ...f.lines.map((x) => x.siblingsReturned));
	if (mostBack >= 3) add('large_bracket', 25 + (mostBack - 3) * 5, { sizes: mostBack });
	if (h.bracketGroups >= 2 && h.bracketGroupsAllReturned >= 2 && h.bracketGroupsAllReturned / h.bracketGroups >= 0.4) {
		add('brackets_returned_whole_before', Math.min(30, 10 * h.bracketGroupsAllReturned), { whole: h.bracketGroupsAllReturned, brackets: h.bracketGroups });
	}

	// Timing: occasion wear back in the window's last days is the wardrobing pattern.
	const late = isLate(f.daysSinceDelivery, f.windowDays);
	const occasion = f.lines.some((x) => x.occasion);
	if (late && occasion) add('occasion_late', 40, { days: f.daysSinceDelivery ?? 0, windowDays: f.windowDays });
	else if (late) add('late_return', 6, { days: f.daysSinceDelivery ?? 0, windowDays: f.windowDays });
	if (occasion && h.occasionReturns >= 1) add('occasion_returns_before', Math.min(35, 20 + 10 * (h.occasionReturns - 1)), { returns: h.occasionReturns });
	if (occasion && h.usedUnits >= 1) add('occasion_after_used', 15, { used: h.usedUnits });
	if (h.returns >= 2 && h.lateReturns >= 2 && h.lateReturns / h.returns >= 0.4) {
		add('late_returns_before', Math.min(25, 8 * h.lateReturns + 10 * h.lateOccasionReturns), { late: h.lateReturns, returns: h.returns, occasion: h.lateOccasionReturns });
	}

	// Value: a dear item matters more, most of all on an account with no past.
	if (f.highValue > 0 && top >= f.highValue) add('high_value', top >= 2 * f.highValue ? 12 : 8, { value, threshold: f.highValue });
	const fresh = h.orders <= 1 && h.accountAgeDays <= 60;
	if (f.highValue > 0 && top >= f.highValue && fresh) add('new_account_high_value', 15, { orders: h.orders });
	if (f.highValue > 0 && fresh && f.lines.some((x) => x.unitPrice >= f.highValue && FAULT_CLAIMS.includes(x.reason))) {
		add('new_account_fault_claim', 18, { orders: h.orders });
	}

	if (l.accounts >= 2) add('linked_accounts', Math.min(12, 4 * l.accounts), { accounts: l.accounts });
	if (h.returnsLast30Days >= 3) add('return_velocity', Math.min(12, 4 * (h.returnsLast30Days - 2)), { returns: h.returnsLast30Days });
	// Smoothed, so three orders and three returns do not read as 100 %.
	const rate = (h.returnedUnits + 1) / (h.orderedUnits + 4);
	if (h.orderedUnits >= 8 && rate >= 0.7) add('high_return_rate', 5, { returnedUnits: h.returnedUnits, orderedUnits: h.orderedUnits });

	signals.sort((a, b) => b.points - a.points || a.code.localeCompare(b.code));
	const score = Math.min(100, signals.reduce((s, x) => s + x.points, 0));
	return { score, level: levelOf(score), signals };
}
