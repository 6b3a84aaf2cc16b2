import { moneyFormatter } from '$lib/money';
import { m } from '$lib/paraglide/messages';
import type { RiskLevel, Signal } from '$lib/server/risk/score';

/**
 * A risk signal as one sentence for staff: what was seen, with its numbers, then its points
 * ("2 earlier items came back as the wrong item or an empty box (of 3 inspected) — +60"). Factual: it says what
 * happened, never what the customer is. Shared by the pages (runs in the browser: no server imports but types).
 */

type Params = Record<string, number>;
type Options = { locale?: 'en' | 'fr'; /** The return's currency, for the amounts of high_value. */ currency: string };

const TEXT: Record<string, (p: Params, o: Options) => string> = {
	past_mismatch: (p, o) => m.review_signal_past_mismatch({ units: n(p.units), inspected: n(p.inspected) }, o),
	linked_mismatch: (p, o) => m.review_signal_linked_mismatch({ units: n(p.units), accounts: n(p.accounts) }, o),
	past_used: (p, o) => m.review_signal_past_used({ units: n(p.units), inspected: n(p.inspected) }, o),
	linked_used: (p, o) => m.review_signal_linked_used({ units: n(p.units), accounts: n(p.accounts) }, o),
	not_received_claims: (p, o) => m.review_signal_not_received_claims({ claims: n(p.claims) }, o),
	linked_not_received_claims: (p, o) => m.review_signal_linked_not_received_claims({ claims: n(p.claims), accounts: n(p.accounts) }, o),
	bracket_returned_whole: (p, o) => m.review_signal_bracket_returned_whole({ sizes: n(p.sizes) }, o),
	brackets_returned_whole_before: (p, o) => m.review_signal_brackets_returned_whole_before({ whole: n(p.whole), brackets: n(p.brackets) }, o),
	large_bracket: (p, o) => m.review_signal_large_bracket({ sizes: n(p.sizes) }, o),
	occasion_late: (p, o) => m.review_signal_occasion_late({ days: n(p.days), windowDays: n(p.windowDays) }, o),
	late_returns_before: (p, o) => m.review_signal_late_returns_before({ late: n(p.late), returns: n(p.returns), occasion: n(p.occasion) }, o),
	late_return: (p, o) => m.review_signal_late_return({ days: n(p.days), windowDays: n(p.windowDays) }, o),
	occasion_returns_before: (p, o) => m.review_signal_occasion_returns_before({ returns: n(p.returns) }, o),
	occasion_after_used: (p, o) => m.review_signal_occasion_after_used({ used: n(p.used) }, o),
	high_value: (p, o) => {
		const money = moneyFormatter(o.locale ?? 'en');
		return m.review_signal_high_value({ value: money(n(p.value), o.currency), threshold: money(n(p.threshold), o.currency) }, o);
	},
	new_account_high_value: (p, o) => m.review_signal_new_account_high_value({ orders: n(p.orders) }, o),
	new_account_fault_claim: (p, o) => m.review_signal_new_account_fault_claim({ orders: n(p.orders) }, o),
	linked_accounts: (p, o) => m.review_signal_linked_accounts({ accounts: n(p.accounts) }, o),
	return_velocity: (p, o) => m.review_signal_return_velocity({ returns: n(p.returns) }, o),
	high_return_rate: (p, o) => m.review_signal_high_return_rate({ returnedUnits: n(p.returnedUnits), orderedUnits: n(p.orderedUnits) }, o)
};

/** A stored assessment may predate a parameter: a missing number reads as 0 rather than "undefined". */
const n = (value: number | undefined) => (Number.isFinite(value) ? (value as number) : 0);

/** What the signal saw, in words, without its points. */
export function signalSentence(signal: Pick<Signal, 'code' | 'params'>, options: Options): string {
	const text = TEXT[signal.code];
	return text ? text(signal.params ?? {}, options) : m.review_signal_unknown({ code: signal.code }, options);
}

/** The sentence and its points: "… (of 3 inspected) — +60". */
export function signalText(signal: Pick<Signal, 'code' | 'params' | 'points'>, options: Options): string {
	return `${signalSentence(signal, options)} — ${m.review_signal_points({ points: signal.points }, options)}`;
}

export function riskLevelText(level: RiskLevel, options: Pick<Options, 'locale'> = {}): string {
	const words = { low: m.review_risk_level_low, elevated: m.review_risk_level_elevated, high: m.review_risk_level_high };
	return words[level]?.({}, options) ?? level;
}

/** The codes with a sentence: every code the scorer emits (checked by the spec). */
export const DESCRIBED_CODES = Object.keys(TEXT);
