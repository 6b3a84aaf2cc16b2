import type { RefundTiming, Resolution } from '$lib/policy/vocabulary';

/** What happened to the return that may call for a label, a payment or a message. */
export type FulfilmentTrigger = 'accepted' | 'in_transit' | 'received' | 'inspected' | 'cancelled' | 'info_requested';

export interface FulfilmentState {
	trigger: FulfilmentTrigger;
	/** When the policy said to pay (the latest of the return's lines); null for returns decided elsewhere. */
	refundTiming: RefundTiming | null;
	method: 'label' | 'drop_off' | 'keep' | null;
	/** The resolution the return was quoted for; null when it has no quote. */
	resolution: Resolution | null;
	/** What the quote pays, minor units. */
	total: number;
	/** Whether the decision is accepted now (a parcel scanned before acceptance pays nothing yet). */
	accepted: boolean;
	/** Every line was inspected and nothing stopped the refund: an acceptance after it pays whatever the timing. */
	inspected?: boolean;
}

export interface FulfilmentPlan {
	/** Make the label (or drop-off code) now. */
	label: boolean;
	/** Pay what the quote says now: a refund, or store credit. */
	pay: 'refund' | 'store_credit' | null;
	/** Start the exchange (the difference to pay, or the replacement order to the shop); held since the return was made. */
	exchange: boolean;
	/** Tell the customer now (the acceptance email waits for its label when there is one). */
	notify: 'return_accepted' | 'parcel_received' | 'info_requested' | null;
	/** Void the label that will not be used (a carrier's is cancelled with the carrier). */
	voidLabel?: boolean;
}

const PAYS_AT: Record<RefundTiming, readonly FulfilmentTrigger[]> = {
	at_approval: ['accepted', 'in_transit', 'received', 'inspected'],
	at_drop_off: ['in_transit', 'received', 'inspected'],
	// The warehouse's inspection passed: not the parcel's arrival alone.
	after_inspection: ['inspected']
};

/**
 * Pure: what an event on a return calls for. Paying is idempotent downstream (one refund per return), so a
 * later trigger that also "pays" is harmless: it catches up a payment an earlier one could not make.
 */
export function planFulfilment(s: FulfilmentState): FulfilmentPlan {
	const parcel = s.method === 'label' || s.method === 'drop_off';
	const plan: FulfilmentPlan = { label: false, pay: null, exchange: false, notify: null };
	if (s.trigger === 'cancelled') return { ...plan, voidLabel: true };
	if (s.trigger === 'info_requested') return { ...plan, notify: 'info_requested' };
	if (s.trigger === 'accepted') {
		plan.label = parcel;
		if (!parcel) plan.notify = 'return_accepted'; // with its label, by the label job, when there is one
	}
	if (s.trigger === 'received') plan.notify = 'parcel_received';
	if (!s.accepted || !s.resolution) return plan;
	// Kept items have no parcel to wait for; otherwise (a label, a drop-off, or a parcel the shop arranges) the timing says.
	const due =
		s.method === 'keep'
			? s.trigger === 'accepted'
			: PAYS_AT[s.refundTiming ?? 'at_drop_off'].includes(s.trigger) || (s.trigger === 'accepted' && s.inspected === true);
	// The replacement goes out when a refund would: before the parcel only where the policy pays on approval.
	if (s.resolution === 'exchange_variant' || s.resolution === 'exchange_product') {
		plan.exchange = due;
		return plan;
	}
	if (due && s.total > 0 && (s.resolution === 'refund' || s.resolution === 'store_credit')) plan.pay = s.resolution;
	return plan;
}

/** The latest of several timings: a return pays when its last line may be paid. */
export function latestTiming(timings: readonly RefundTiming[]): RefundTiming | null {
	const order: RefundTiming[] = ['at_approval', 'at_drop_off', 'after_inspection'];
	return timings.reduce<RefundTiming | null>((latest, t) => (latest === null || order.indexOf(t) > order.indexOf(latest) ? t : latest), null);
}
