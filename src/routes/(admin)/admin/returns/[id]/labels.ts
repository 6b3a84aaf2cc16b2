import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import type { StaffEvent } from '$lib/server/staff/return-view';
import { decisionLabels, eventLabels, labelOf, receptionLabels, resolutionLabels } from '../../orders/[id]/status-labels';

/** The words of the staff's return page (they run in the browser too: no server imports but types). */

export { decisionLabels, eventLabels, labelOf, receptionLabels, resolutionLabels };

export const channelLabels: Record<string, () => string> = {
	customer: m.review_channel_customer,
	staff: m.review_channel_staff,
	api: m.review_channel_api,
	import: m.review_channel_import,
	demo: m.review_channel_demo
};

export const methodLabels: Record<string, () => string> = {
	label: m.review_method_label,
	drop_off: m.review_method_drop_off,
	keep: m.review_method_keep
};

/** What the customer asked for on a line. */
export const requestedLabels: Record<string, () => string> = {
	refund: m.review_requested_refund,
	store_credit: m.review_requested_store_credit,
	exchange: m.review_requested_exchange,
	keep: m.review_requested_keep
};

/** The resolution a quote was made for. */
export const quoteResolutionLabels: Record<string, () => string> = {
	fix: m.review_resolution_fix,
	exchange_variant: m.review_resolution_exchange_variant,
	exchange_product: m.review_resolution_exchange_product,
	store_credit: m.review_resolution_store_credit,
	refund: m.review_resolution_refund
};

export const eligibilityLabels: Record<string, () => string> = {
	eligible: m.review_eligibility_eligible,
	needs_review: m.review_eligibility_needs_review,
	not_eligible: m.review_eligibility_not_eligible
};

export const eligibilityClass: Record<string, string> = {
	eligible: 'bg-emerald-100 text-emerald-900',
	needs_review: 'bg-amber-100 text-amber-900',
	not_eligible: 'bg-red-100 text-red-900'
};

export const riskClass: Record<string, { badge: string; bar: string }> = {
	low: { badge: 'bg-stone-100 text-stone-800 ring-stone-300', bar: 'bg-stone-500' },
	elevated: { badge: 'bg-amber-50 text-amber-900 ring-amber-300', bar: 'bg-amber-600' },
	high: { badge: 'bg-red-50 text-red-900 ring-red-300', bar: 'bg-red-700' }
};

export const decisionClass: Record<string, string> = {
	pending: 'bg-stone-100 text-stone-800',
	needs_review: 'bg-amber-100 text-amber-900',
	info_requested: 'bg-sky-100 text-sky-900',
	on_hold: 'bg-amber-100 text-amber-900',
	accepted: 'bg-emerald-100 text-emerald-900',
	rejected: 'bg-red-100 text-red-900',
	cancelled: 'bg-stone-200 text-stone-800'
};

export const conditionLabels: Record<string, () => string> = {
	new: m.review_condition_new,
	opened: m.review_condition_opened,
	used: m.review_condition_used,
	damaged: m.review_condition_damaged,
	wrong_item: m.review_condition_wrong_item,
	missing: m.review_condition_missing
};

export const dispositionLabels: Record<string, () => string> = {
	restock: m.review_disposition_restock,
	refurbish: m.review_disposition_refurbish,
	donate: m.review_disposition_donate,
	discard: m.review_disposition_discard
};

const actorKinds: Record<string, () => string> = {
	system: m.review_actor_retour,
	customer: m.review_actor_customer,
	api: m.review_actor_api,
	import: m.review_actor_import,
	staff: m.review_actor_staff
};

/** Who acted: the staff member by name, else what kind of actor it was. */
export function actorName(e: Pick<StaffEvent, 'actorKind' | 'actor'>): string {
	if (e.actor) return e.actor.name || e.actor.email;
	if (e.actorKind === 'staff') return m.review_actor_removed();
	return labelOf(actorKinds, e.actorKind);
}

/** One line under an event of the history: the move, the reason, the note, the person assigned. */
export function eventDetail(e: StaffEvent, money: (m: { amount: number; currency: string }) => string): string {
	const p = e.payload;
	const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
	const moves: Record<string, Record<string, () => string>> = {
		'return.reception_changed': receptionLabels,
		'return.decision_changed': decisionLabels,
		'return.line_resolved': resolutionLabels
	};
	const map = moves[e.type];
	if (map) {
		// The policy's own words come in both languages (payload.explanation); a person's reason as they wrote it.
		const explained = p.explanation && typeof p.explanation === 'object' ? (p.explanation as Record<string, unknown>)[getLocale()] : null;
		return [`${labelOf(map, String(p.from))} → ${labelOf(map, String(p.to))}`, text(explained) ?? text(p.reason)].filter(Boolean).join(' — ');
	}
	switch (e.type) {
		case 'return.note_added':
			return text(p.body) ?? '';
		case 'return.assigned':
			return p.to ? m.review_history_assigned_to({ name: e.assignee ? e.assignee.name || e.assignee.email : m.review_actor_removed() }) : m.review_history_unassigned();
		case 'return.policy_overridden':
			return m.review_history_override({ from: labelOf(decisionLabels, String(p.from)), reason: text(p.reason) ?? '' });
		case 'return.risk_assessed':
			return typeof p.score === 'number' ? m.review_history_risk({ score: p.score }) : '';
		case 'return.information_provided':
			return text(p.text) ?? '';
		case 'return.handoff_resolved':
			return text(p.note) ?? '';
	}
	const parts: string[] = [];
	if (typeof p.amount === 'number' && typeof p.currency === 'string') parts.push(money({ amount: p.amount, currency: p.currency }));
	for (const key of ['summary', 'note', 'message', 'reason']) {
		const value = text(p[key]);
		if (value) parts.push(value);
	}
	return parts.join(' — ');
}
