import { m } from '$lib/paraglide/messages';

/** Display helpers for the staff's queue (they run in the browser too, so no server imports). */

export const reasonLabels: Record<string, () => string> = {
	risk: m.staff_queue_why_risk,
	policy_review: m.staff_queue_why_policy_review,
	handoff: m.staff_queue_why_handoff,
	on_hold: m.staff_queue_why_on_hold,
	info_requested: m.staff_queue_why_info_requested
};

export const riskLevelLabels: Record<string, () => string> = {
	low: m.staff_risk_low,
	elevated: m.staff_risk_elevated,
	high: m.staff_risk_high
};

/** Text on a pale tint, at least 4.5:1. */
export const riskLevelClass: Record<string, string> = {
	low: 'bg-stone-100 text-stone-800 ring-stone-300',
	elevated: 'bg-amber-50 text-amber-900 ring-amber-300',
	high: 'bg-red-50 text-red-900 ring-red-300'
};

export const reasonClass: Record<string, string> = {
	risk: 'text-red-900',
	handoff: 'text-sky-900',
	on_hold: 'text-amber-900',
	policy_review: 'text-stone-900',
	info_requested: 'text-stone-600'
};

export const signalLabels: Record<string, () => string> = {
	past_mismatch: m.staff_signal_past_mismatch,
	linked_mismatch: m.staff_signal_linked_mismatch,
	past_used: m.staff_signal_past_used,
	linked_used: m.staff_signal_linked_used,
	not_received_claims: m.staff_signal_not_received_claims,
	linked_not_received_claims: m.staff_signal_linked_not_received_claims,
	bracket_returned_whole: m.staff_signal_bracket_returned_whole,
	brackets_returned_whole_before: m.staff_signal_brackets_returned_whole_before,
	large_bracket: m.staff_signal_large_bracket,
	occasion_late: m.staff_signal_occasion_late,
	late_returns_before: m.staff_signal_late_returns_before,
	late_return: m.staff_signal_late_return,
	occasion_returns_before: m.staff_signal_occasion_returns_before,
	occasion_after_used: m.staff_signal_occasion_after_used,
	high_value: m.staff_signal_high_value,
	new_account_high_value: m.staff_signal_new_account_high_value,
	new_account_fault_claim: m.staff_signal_new_account_fault_claim,
	linked_accounts: m.staff_signal_linked_accounts,
	return_velocity: m.staff_signal_return_velocity,
	high_return_rate: m.staff_signal_high_return_rate
};

export const labelOf = (map: Record<string, () => string>, key: string | null | undefined) => (key ? (map[key]?.() ?? key) : '');

/** How long a row has waited, in one short unit: under an hour in minutes, under a day in hours, then days. */
export function waitingUnit(since: Date, now: Date): { unit: 'minutes' | 'hours' | 'days'; count: number } {
	const minutes = Math.max(0, Math.floor((now.getTime() - since.getTime()) / 60_000));
	if (minutes < 60) return { unit: 'minutes', count: Math.max(1, minutes) };
	if (minutes < 24 * 60) return { unit: 'hours', count: Math.floor(minutes / 60) };
	return { unit: 'days', count: Math.floor(minutes / (24 * 60)) };
}

export function waitingText(since: Date, now: Date): string {
	const { unit, count } = waitingUnit(since, now);
	return unit === 'minutes' ? m.staff_waiting_minutes({ count }) : unit === 'hours' ? m.staff_waiting_hours({ count }) : m.staff_waiting_days({ count });
}

/** Where a queue row leads: the return's page, or the order's when the customer asked for a person before any return. */
export const rowHref = (row: { returnId: string | null; orderId: string }) =>
	row.returnId ? `/admin/returns/${row.returnId}` : `/admin/orders/${row.orderId}`;

/** A key press the queue's shortcuts should leave alone: typing in a field, or with a modifier. */
export function isTyping(event: Pick<KeyboardEvent, 'target' | 'ctrlKey' | 'metaKey' | 'altKey'>): boolean {
	if (event.ctrlKey || event.metaKey || event.altKey) return true;
	const target = event.target as (HTMLElement & { isContentEditable?: boolean }) | null;
	if (!target || typeof target !== 'object' || !('tagName' in target)) return false;
	return ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) || Boolean(target.isContentEditable);
}
