import { error, fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { returnLinkFor } from '$lib/server/api/handler';
import { requireRole } from '$lib/server/auth/guard';
import { listOrderConversations } from '$lib/server/conversation/staff';
import { db } from '$lib/server/db';
import { getReturnLabel } from '$lib/server/labels/service';
import { deliveryStatus, getOrderById, listOrderReturns } from '$lib/server/orders/queries';
import { getRefund, listReturnRefunds, recordManualRefund, retryRefund, RefundError } from '$lib/server/refunds/service';
import { listEvents, type Actor } from '$lib/server/returns/events';
import { RECEPTION, type ReceptionStatus } from '$lib/server/returns/lifecycle';
import { loadReturn, ReturnError, transitionReturn } from '$lib/server/returns/service';
import { NOTE_MAX_LENGTH, StaffActionError } from '$lib/server/staff/actions';
import { ClaimError, CLAIM_NOTE_MAX_LENGTH, listOrderClaims, recordNotReceivedClaim } from '$lib/server/staff/claims';
import { resolveHandoff } from '$lib/server/staff/handoffs';
import type { Actions, PageServerLoad } from './$types';

const ROLES = ['owner', 'admin', 'staff'] as const;
/** The parcel moves staff can record by hand; lost and wrong item are left to the carrier and inspection. */
const STAFF_RECEPTION = ['in_transit', 'received'] as const;
type StaffReception = (typeof STAFF_RECEPTION)[number];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { shop } = requireRole(locals, ROLES, url);
	const order = await getOrderById(db(), shop.id, params.id);
	if (!order) error(404, { message: m.catalogue_order_not_found() });
	const [returns, conversations, claims] = await Promise.all([
		listOrderReturns(db(), shop.id, order.id),
		listOrderConversations(db(), shop.id, order.id),
		listOrderClaims(db(), shop.id, order.id)
	]);
	const fulfilment = await Promise.all(
		returns.map(async (r) => {
			const [label, refunds, events] = await Promise.all([
				getReturnLabel(db(), shop.id, r.id),
				listReturnRefunds(db(), shop.id, r.id),
				listEvents(db(), shop.id, r.id)
			]);
			const allowed = RECEPTION[r.receptionStatus as ReceptionStatus] ?? [];
			return { returnId: r.id, label: label ?? null, refunds, events, receptionActions: STAFF_RECEPTION.filter((to) => allowed.includes(to)) };
		})
	);
	return {
		order,
		deliveryStatus: deliveryStatus(order),
		returns,
		fulfilment,
		conversations,
		claims,
		claimNoteMax: CLAIM_NOTE_MAX_LENGTH,
		handoffNoteMax: NOTE_MAX_LENGTH,
		returnLink: returnLinkFor(url.origin, order.id),
		timeZone: shop.timezone
	};
};

type ActionName = 'retryRefund' | 'recordRefund' | 'reception' | 'claim' | 'resolveHandoff';

/** Every action answers with the action and the row it acted on, so the page shows the outcome beside that row. */
const refused = (status: number, action: ActionName, target: string, message: string, note?: string) =>
	fail(status, { action, target, error: message, note });
const done = (action: ActionName, target: string, message: string) => ({ action, target, success: message });

type ActionEvent = { locals: App.Locals; url: URL; params: { id: string } };

/** The shop and the staff member acting (actions run before any layout load, so each checks the role). */
function staffOf(event: ActionEvent) {
	const { shop, user } = requireRole(event.locals, ROLES, event.url);
	return { shopId: shop.id, actor: { kind: 'staff', id: user.id } satisfies Actor };
}

/** A return of this page's order (not another order's or another shop's), or undefined. */
async function orderReturn(event: ActionEvent, shopId: string, returnId: string | undefined) {
	const ret = returnId && UUID.test(returnId) ? await loadReturn(db(), shopId, returnId) : undefined;
	return ret?.orderId === event.params.id ? ret : undefined;
}

async function orderRefund(event: ActionEvent, shopId: string, refundId: string) {
	const refund = UUID.test(refundId) ? await getRefund(db(), shopId, refundId) : undefined;
	return refund && (await orderReturn(event, shopId, refund.returnId)) ? refund : undefined;
}

function refundRefusal(action: ActionName, refundId: string, e: unknown, note?: string) {
	if (!(e instanceof RefundError)) throw e;
	return refused(e.code === 'refund_not_found' ? 404 : 409, action, refundId, e.message, note);
}

export const actions: Actions = {
	retryRefund: async (event) => {
		const { shopId, actor } = staffOf(event);
		const refundId = String((await event.request.formData()).get('refundId') ?? '');
		const refund = await orderRefund(event, shopId, refundId);
		if (!refund) return refused(404, 'retryRefund', refundId, m.admin_fulfilment_refund_gone());
		try {
			await retryRefund(db(), shopId, refund.id, actor);
		} catch (e) {
			return refundRefusal('retryRefund', refundId, e);
		}
		return done('retryRefund', refundId, m.admin_fulfilment_refund_retried());
	},

	recordRefund: async (event) => {
		const { shopId, actor } = staffOf(event);
		const form = await event.request.formData();
		const refundId = String(form.get('refundId') ?? '');
		const note = String(form.get('note') ?? '').trim();
		const refund = await orderRefund(event, shopId, refundId);
		if (!refund) return refused(404, 'recordRefund', refundId, m.admin_fulfilment_refund_gone(), note);
		if (!note) return refused(400, 'recordRefund', refundId, m.admin_fulfilment_note_required(), note);
		if (note.length > 1000) return refused(400, 'recordRefund', refundId, m.admin_fulfilment_note_too_long(), note);
		try {
			await recordManualRefund(db(), shopId, refund.id, note, actor);
		} catch (e) {
			return refundRefusal('recordRefund', refundId, e, note);
		}
		return done('recordRefund', refundId, m.admin_fulfilment_refund_recorded());
	},

	reception: async (event) => {
		const { shopId, actor } = staffOf(event);
		const form = await event.request.formData();
		const returnId = String(form.get('returnId') ?? '');
		const to = String(form.get('to') ?? '');
		const ret = await orderReturn(event, shopId, returnId);
		if (!ret) return refused(404, 'reception', returnId, m.admin_fulfilment_return_gone());
		if (!STAFF_RECEPTION.includes(to as StaffReception)) return refused(400, 'reception', returnId, m.admin_fulfilment_reception_unknown());
		try {
			await transitionReturn(db(), { shopId, returnId: ret.id, machine: 'reception', to }, actor);
		} catch (e) {
			if (!(e instanceof ReturnError)) throw e;
			return refused(409, 'reception', returnId, e.message);
		}
		return done('reception', returnId, to === 'received' ? m.admin_fulfilment_parcel_marked_received() : m.admin_fulfilment_parcel_marked_in_transit());
	},

	/** "I never received it", as the customer told staff. */
	claim: async (event) => {
		const { shop, user } = requireRole(event.locals, ROLES, event.url);
		const note = String((await event.request.formData()).get('note') ?? '');
		try {
			await recordNotReceivedClaim(db(), { shopId: shop.id, orderId: event.params.id, note }, user.id);
		} catch (e) {
			if (!(e instanceof ClaimError)) throw e;
			const message = {
				order_not_found: () => m.review_claim_error_gone(),
				note_too_long: () => m.review_claim_error_too_long({ max: CLAIM_NOTE_MAX_LENGTH }),
				already_claimed: () => m.review_claim_error_duplicate()
			}[e.code]();
			return refused(e.code === 'order_not_found' ? 404 : e.code === 'already_claimed' ? 409 : 400, 'claim', event.params.id, message, note);
		}
		return done('claim', event.params.id, m.review_claim_recorded());
	},

	/** The customer asked for a person in one of this order's conversations, and was answered (by phone, by email). */
	resolveHandoff: async (event) => {
		const { shopId, actor } = staffOf(event);
		const form = await event.request.formData();
		const conversationId = String(form.get('conversationId') ?? '');
		const note = String(form.get('note') ?? '');
		try {
			await resolveHandoff(db(), shopId, conversationId, note, actor, { orderId: event.params.id });
		} catch (e) {
			if (!(e instanceof StaffActionError)) throw e;
			const message = {
				note_required: () => m.review_handoff_error_note_required(),
				too_long: () => m.review_error_too_long({ max: NOTE_MAX_LENGTH }),
				conversation_not_found: () => m.review_handoff_error_gone(),
				handoff_not_waiting: () => m.review_handoff_error_not_waiting(),
				not_a_member: () => e.message,
				not_overridable: () => e.message
			}[e.code]();
			const status = e.code === 'conversation_not_found' ? 404 : e.code === 'handoff_not_waiting' ? 409 : 400;
			return refused(status, 'resolveHandoff', conversationId, message, note);
		}
		return done('resolveHandoff', conversationId, m.review_handoff_done());
	}
};
