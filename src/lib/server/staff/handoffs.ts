import { handoffWaiting } from '../conversation/staff';
import type { Queryable } from '../db';
import { inTransaction } from '../db/transaction';
import { recordEvent } from '../returns/events';
import { NOTE_MAX_LENGTH, StaffActionError } from './actions';

/**
 * A customer asked for a person in the conversation; a staff member answered them (by phone, by email) and says
 * what they did or told the customer. The request then leaves the queue. A request waits while it has no answer,
 * or only an answer older than it (the customer asked again since).
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface HandoffResolution {
	conversationId: string;
	/** The returns whose history records the answer. */
	returnIds: string[];
	resolvedAt: Date;
	resolvedBy: string;
	note: string;
}

/**
 * Marks the conversation's request for a person as answered, with the staff member's note; the history of the
 * return it concerns says so too (event return.handoff_resolved) — both or neither.
 * `within` narrows it to a page's own order or return: another's conversation is not found.
 */
export async function resolveHandoff(
	sql: Queryable,
	shopId: string,
	conversationId: string,
	note: string | null | undefined,
	actor: { kind: 'staff'; id: string },
	within: { orderId?: string; returnId?: string } = {}
): Promise<HandoffResolution> {
	const text = note?.trim() ?? '';
	if (!text) throw new StaffActionError('note_required', 'Write what you did or told the customer', 'note');
	if (text.length > NOTE_MAX_LENGTH) throw new StaffActionError('too_long', `A note is at most ${NOTE_MAX_LENGTH} characters`, 'note');
	const gone = () => new StaffActionError('conversation_not_found', 'This conversation does not exist', 'conversationId');
	const ids = [conversationId, within.orderId, within.returnId].filter((id) => id !== undefined);
	if (!ids.every((id) => UUID.test(id))) throw gone();
	return inTransaction(sql, async (tx) => {
		// From a return's page: its own conversation, or a later one of its order tied to no return (the queue
		// lists the return for those; see laterHandoffs in return-view.ts).
		const [c] = await tx<{ order_id: string; return_id: string | null; handoff_requested_at: Date | null; handoff_resolved_at: Date | null }[]>`
			select c.order_id, c.return_id, c.handoff_requested_at, c.handoff_resolved_at from conversations c
			where c.shop_id = ${shopId} and c.id = ${conversationId}
				${within.orderId !== undefined ? tx`and c.order_id = ${within.orderId}` : tx``}
				${
					within.returnId !== undefined
						? tx`and (c.return_id = ${within.returnId} or (c.return_id is null and exists (
							select 1 from returns r where r.shop_id = ${shopId} and r.id = ${within.returnId}
								and r.order_id = c.order_id and r.requested_at <= c.handoff_requested_at)))`
						: tx``
				}
			for update of c`;
		if (!c) throw gone();
		if (!handoffWaiting(c.handoff_requested_at, c.handoff_resolved_at)) {
			throw new StaffActionError(
				'handoff_not_waiting',
				c.handoff_requested_at === null
					? 'The customer did not ask for a person in this conversation'
					: 'This request for a person was answered already',
				'conversationId'
			);
		}
		// The application's clock, as for the request (conversation service) and the return's events.
		const at = new Date();
		await tx`
			update conversations set handoff_resolved_at = ${at}, handoff_resolved_by = ${actor.id}, handoff_resolution = ${text}
			where shop_id = ${shopId} and id = ${conversationId}`;
		// The returns whose history tells it: the conversation's own, else those the queue listed for the request
		// (open, asked for before it) and the page's.
		const returnIds = c.return_id
			? [c.return_id]
			: (
					await tx<{ id: string }[]>`
						select id from returns
						where shop_id = ${shopId} and order_id = ${c.order_id} and requested_at <= ${c.handoff_requested_at}
							and (id = ${within.returnId ?? null} or (closed_at is null and decision_status not in ('rejected', 'cancelled')))
						order by requested_at`
				).map((r) => r.id);
		for (const returnId of returnIds) {
			await recordEvent(tx, { shopId, returnId, type: 'return.handoff_resolved', actor, payload: { conversationId, note: text }, at });
		}
		return { conversationId, returnIds, resolvedAt: at, resolvedBy: actor.id, note: text };
	});
}
