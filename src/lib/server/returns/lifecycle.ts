/**
 * The three state machines of a return, as data. Every status change in Retour goes through
 * `checkTransition`, and the service writes it with an event in the same transaction.
 */

export const RECEPTION_STATUSES = ['not_required', 'awaiting', 'in_transit', 'received', 'lost', 'wrong_item'] as const;
export const DECISION_STATUSES = [
	'pending',
	'needs_review',
	'info_requested',
	'on_hold',
	'accepted',
	'rejected',
	'cancelled'
] as const;
export const RESOLUTION_STATUSES = ['pending', 'refunded', 'credited', 'exchanged', 'kept', 'failed'] as const;

export type ReceptionStatus = (typeof RECEPTION_STATUSES)[number];
export type DecisionStatus = (typeof DECISION_STATUSES)[number];
export type ResolutionStatus = (typeof RESOLUTION_STATUSES)[number];

export type Machine = 'reception' | 'decision' | 'resolution';
export type StatusOf<M extends Machine> = M extends 'reception'
	? ReceptionStatus
	: M extends 'decision'
		? DecisionStatus
		: ResolutionStatus;

/** Where the parcel is. `not_required` when the customer keeps the item. */
export const RECEPTION: Record<ReceptionStatus, readonly ReceptionStatus[]> = {
	awaiting: ['in_transit', 'received', 'lost', 'wrong_item', 'not_required'],
	in_transit: ['received', 'lost', 'wrong_item'],
	lost: ['in_transit', 'received'],
	received: ['wrong_item'], // inspection finds another item than the one returned
	wrong_item: ['received'], // the right item arrives after all
	not_required: ['awaiting'] // staff ask for the item after a keep-it decision
};

/** Whether the shop accepts the return. Rejected and cancelled are final but for a staff override. */
export const DECISION: Record<DecisionStatus, readonly DecisionStatus[]> = {
	pending: ['needs_review', 'info_requested', 'on_hold', 'accepted', 'rejected', 'cancelled'],
	needs_review: ['info_requested', 'on_hold', 'accepted', 'rejected', 'cancelled'],
	info_requested: ['needs_review', 'on_hold', 'accepted', 'rejected', 'cancelled'],
	on_hold: ['needs_review', 'info_requested', 'accepted', 'rejected', 'cancelled'],
	accepted: ['on_hold', 'cancelled'],
	rejected: ['accepted'], // an override, with a written reason
	cancelled: []
};

/** What became of each line. `failed` can be retried; the others are final. */
export const RESOLUTION: Record<ResolutionStatus, readonly ResolutionStatus[]> = {
	pending: ['refunded', 'credited', 'exchanged', 'kept', 'failed'],
	failed: ['pending', 'refunded', 'credited', 'exchanged', 'kept'],
	refunded: [],
	credited: [],
	exchanged: [],
	kept: []
};

export const TRANSITIONS = { reception: RECEPTION, decision: DECISION, resolution: RESOLUTION } as const;

/** Transitions that need a written reason from the person making them. */
export const NEEDS_REASON: Partial<Record<Machine, readonly string[]>> = {
	decision: ['rejected->accepted', '*->rejected', '*->on_hold', '*->info_requested']
};

export type TransitionCheck = { ok: true } | { ok: false; code: 'invalid_status' | 'invalid_transition' | 'reason_required'; message: string };

export function isStatus<M extends Machine>(machine: M, status: string): status is StatusOf<M> {
	return Object.hasOwn(TRANSITIONS[machine], status);
}

export function checkTransition<M extends Machine>(
	machine: M,
	from: StatusOf<M>,
	to: string,
	reason?: string | null
): TransitionCheck {
	if (!isStatus(machine, to)) {
		return { ok: false, code: 'invalid_status', message: `"${to}" is not a ${machine} status` };
	}
	const allowed = (TRANSITIONS[machine] as Record<string, readonly string[]>)[from];
	if (!allowed.includes(to)) {
		return {
			ok: false,
			code: 'invalid_transition',
			message: `A return cannot go from ${machine} "${from}" to "${to}"` +
				(allowed.length ? ` (allowed: ${allowed.join(', ')})` : ` ("${from}" is final)`)
		};
	}
	const rules = NEEDS_REASON[machine] ?? [];
	if (rules.some((r) => r === `${from}->${to}` || r === `*->${to}`) && !reason?.trim()) {
		return { ok: false, code: 'reason_required', message: `Going to ${machine} "${to}" needs a written reason` };
	}
	return { ok: true };
}

/**
 * A return is closed when it was cancelled or rejected, or when it is accepted, every line is resolved and its
 * parcel is in (or none was needed): a refund paid at approval, or an exchange shipped ahead, leaves it open
 * until the goods come back.
 */
export function isClosed(decision: DecisionStatus, lines: readonly ResolutionStatus[], reception: ReceptionStatus): boolean {
	if (decision === 'cancelled' || decision === 'rejected') return true;
	return (
		decision === 'accepted' &&
		(reception === 'received' || reception === 'not_required') &&
		lines.length > 0 &&
		lines.every((s) => s !== 'pending' && s !== 'failed')
	);
}

/** The customer may cancel until the parcel ships. */
export function customerCanCancel(decision: DecisionStatus, reception: ReceptionStatus): boolean {
	return DECISION[decision].includes('cancelled') && (reception === 'awaiting' || reception === 'not_required');
}
