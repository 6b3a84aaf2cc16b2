import { m } from '$lib/paraglide/messages';

/** The words for a return's statuses, shared by the order page and its fulfilment blocks (and safe in the browser). */
export const decisionLabels: Record<string, () => string> = {
	pending: m.catalogue_decision_pending,
	needs_review: m.catalogue_decision_needs_review,
	info_requested: m.catalogue_decision_info_requested,
	on_hold: m.catalogue_decision_on_hold,
	accepted: m.catalogue_decision_accepted,
	rejected: m.catalogue_decision_rejected,
	cancelled: m.catalogue_decision_cancelled
};

export const receptionLabels: Record<string, () => string> = {
	not_required: m.catalogue_reception_not_required,
	awaiting: m.catalogue_reception_awaiting,
	in_transit: m.catalogue_reception_in_transit,
	received: m.catalogue_reception_received,
	lost: m.catalogue_reception_lost,
	wrong_item: m.catalogue_reception_wrong_item
};

export const resolutionLabels: Record<string, () => string> = {
	pending: m.catalogue_resolution_pending,
	refunded: m.catalogue_resolution_refunded,
	credited: m.catalogue_resolution_credited,
	exchanged: m.catalogue_resolution_exchanged,
	kept: m.catalogue_resolution_kept,
	failed: m.catalogue_resolution_failed
};

export const labelStatusLabels: Record<string, () => string> = {
	pending: m.admin_fulfilment_label_status_pending,
	created: m.admin_fulfilment_label_status_created,
	failed: m.admin_fulfilment_label_status_failed,
	cancelled: m.admin_fulfilment_label_status_cancelled
};

export const refundStatusLabels: Record<string, () => string> = {
	pending: m.admin_fulfilment_refund_status_pending,
	succeeded: m.admin_fulfilment_refund_status_succeeded,
	failed: m.admin_fulfilment_refund_status_failed,
	canceled: m.admin_fulfilment_refund_status_canceled
};

/** Badge colours for label and refund statuses (text on a pale tint, at least 4.5:1). */
export const statusClass: Record<string, string> = {
	pending: 'bg-amber-100 text-amber-900',
	created: 'bg-emerald-100 text-emerald-900',
	succeeded: 'bg-emerald-100 text-emerald-900',
	failed: 'bg-red-100 text-red-900',
	cancelled: 'bg-stone-200 text-stone-800',
	canceled: 'bg-stone-200 text-stone-800'
};

export const actorLabels: Record<string, () => string> = {
	staff: m.admin_fulfilment_actor_staff,
	customer: m.admin_fulfilment_actor_customer,
	system: m.admin_fulfilment_actor_system,
	api: m.admin_fulfilment_actor_api,
	import: m.admin_fulfilment_actor_import
};

export const eventLabels: Record<string, () => string> = {
	'return.created': m.admin_event_return_created,
	'return.decision_changed': m.admin_event_return_decision_changed,
	'return.reception_changed': m.admin_event_return_reception_changed,
	'return.closed': m.admin_event_return_closed,
	'return.reopened': m.admin_event_return_reopened,
	'return.line_resolved': m.admin_event_return_line_resolved,
	'refund.requested': m.admin_event_refund_requested,
	'refund.submitted': m.admin_event_refund_submitted,
	'refund.succeeded': m.admin_event_refund_succeeded,
	'refund.failed': m.admin_event_refund_failed,
	'refund.canceled': m.admin_event_refund_canceled,
	'refund.retried': m.admin_event_refund_retried,
	'refund.recorded': m.admin_event_refund_recorded,
	'label.created': m.admin_event_label_created,
	'label.failed': m.admin_event_label_failed,
	'label.cancelled': m.admin_event_label_cancelled,
	'label.cancel_failed': m.admin_event_label_cancel_failed,
	'credit.issued': m.admin_event_credit_issued,
	// The staff's review and the warehouse (issue 6).
	'return.note_added': m.review_event_note_added,
	'return.assigned': m.review_event_assigned,
	'return.policy_overridden': m.review_event_policy_overridden,
	'return.risk_assessed': m.review_event_risk_assessed,
	'return.inspected': m.review_event_inspected,
	'return.information_provided': m.review_event_information_provided,
	'return.handoff_resolved': m.review_event_handoff_resolved
};

export const labelOf = (map: Record<string, () => string>, key: string) => map[key]?.() ?? key;
