import type { Queryable } from '../db';
import { inTransaction } from '../db/transaction';
import { notifyReturn } from '../notifications/service';
import { recordEvent, type Actor } from '../returns/events';
import { DECISION, type DecisionStatus } from '../returns/lifecycle';
import { createReturn, ReturnError, transitionReturn, type ReturnRecord } from '../returns/service';
import type { Person } from './return-view';

/**
 * What a staff member does on one return: decide (accept, decline, ask, hold, accept against the policy),
 * write a note, assign it; and create a return for a customer. Each is one transaction with its event and the
 * staff member as actor: it happens whole, or not at all.
 */

export const NOTE_MAX_LENGTH = 4000;
/** A reason or a question: long enough for a paragraph, short enough for an email. */
export const REASON_MAX_LENGTH = 2000;

/** A refusal that is not the return's state machine's (those are ReturnError). */
export class StaffActionError extends Error {
	constructor(
		readonly code: 'note_required' | 'too_long' | 'not_a_member' | 'not_overridable' | 'conversation_not_found' | 'handoff_not_waiting',
		message: string,
		readonly field?: string
	) {
		super(message);
		this.name = 'StaffActionError';
	}
}

interface Target {
	shopId: string;
	returnId: string;
}

const staff = (userId: string): Actor => ({ kind: 'staff', id: userId });

/** The written reason, trimmed; refused when missing (the machine would too) or too long for an email. */
function writtenReason(text: string | null | undefined, field = 'reason'): string {
	const reason = text?.trim() ?? '';
	if (!reason) throw new ReturnError('reason_required', 'Write a reason: this decision needs one', field);
	if (reason.length > REASON_MAX_LENGTH) throw new StaffActionError('too_long', `At most ${REASON_MAX_LENGTH} characters`, field);
	return reason;
}

/** Which decisions the page offers for a decision status (the state machine's, with an override kept apart). */
export function staffActionsFor(status: DecisionStatus) {
	const next = DECISION[status];
	return {
		// Accepting a declined return is an override: it needs its own form and reason.
		accept: next.includes('accepted') && status !== 'rejected',
		reject: next.includes('rejected'),
		requestInformation: next.includes('info_requested'),
		hold: next.includes('on_hold'),
		override: OVERRIDABLE.includes(status)
	};
}

const OVERRIDABLE: readonly DecisionStatus[] = ['needs_review', 'rejected'];

export async function acceptReturn(sql: Queryable, target: Target, userId: string): Promise<ReturnRecord> {
	return transitionReturn(sql, { ...target, machine: 'decision', to: 'accepted' }, staff(userId));
}

/** Declines the return and emails the customer the reason, in the same transaction. */
export async function rejectReturn(sql: Queryable, target: Target & { reason: string }, userId: string): Promise<ReturnRecord> {
	const reason = writtenReason(target.reason);
	return inTransaction(sql, async (tx) => {
		const ret = await transitionReturn(tx, { shopId: target.shopId, returnId: target.returnId, machine: 'decision', to: 'rejected', reason }, staff(userId));
		// As every email of a return: none for history imported from another system or the demo's.
		if (ret.channel !== 'import' && ret.channel !== 'demo') {
			// A return can be declined more than once (declined, accepted against the policy, held, declined): one email each.
			const [{ n }] = await tx<{ n: number }[]>`
				select count(*)::int as n from return_events where return_id = ${target.returnId} and type = 'return.decision_changed'`;
			await notifyReturn(tx, target.shopId, target.returnId, { kind: 'return_rejected', reason }, `return_rejected:${target.returnId}:${n}`);
		}
		return ret;
	});
}

/** Asks the customer a question; the fulfilment emails it (trigger info_requested). */
export async function requestInformation(sql: Queryable, target: Target & { question: string }, userId: string): Promise<ReturnRecord> {
	const question = writtenReason(target.question, 'question');
	return transitionReturn(sql, { shopId: target.shopId, returnId: target.returnId, machine: 'decision', to: 'info_requested', reason: question }, staff(userId));
}

export async function holdReturn(sql: Queryable, target: Target & { reason: string }, userId: string): Promise<ReturnRecord> {
	const reason = writtenReason(target.reason);
	return transitionReturn(sql, { shopId: target.shopId, returnId: target.returnId, machine: 'decision', to: 'on_hold', reason }, staff(userId));
}

/** A note for the team, kept in the history (event return.note_added); never sent to the customer. */
export async function addNote(sql: Queryable, target: Target & { body: string }, userId: string): Promise<void> {
	const body = target.body?.trim() ?? '';
	if (!body) throw new StaffActionError('note_required', 'Write the note first', 'body');
	if (body.length > NOTE_MAX_LENGTH) throw new StaffActionError('too_long', `A note is at most ${NOTE_MAX_LENGTH} characters`, 'body');
	await inTransaction(sql, async (tx) => {
		const [ret] = await tx`select id from returns where shop_id = ${target.shopId} and id = ${target.returnId} for share`;
		if (!ret) throw new ReturnError('return_not_found', 'This return does not exist', 'returnId');
		await recordEvent(tx, { shopId: target.shopId, returnId: target.returnId, type: 'return.note_added', actor: staff(userId), payload: { body } });
	});
}

/**
 * Gives the return to a member of the shop's team, or to no one (null). Assigning it to whoever has it already
 * changes nothing and records nothing.
 */
export async function assignReturn(
	sql: Queryable,
	target: Target & { assigneeId: string | null },
	userId: string
): Promise<{ assignee: Person | null; changed: boolean }> {
	return inTransaction(sql, async (tx) => {
		const [ret] = await tx<{ assigned_to: string | null }[]>`
			select assigned_to from returns where shop_id = ${target.shopId} and id = ${target.returnId} for update`;
		if (!ret) throw new ReturnError('return_not_found', 'This return does not exist', 'returnId');
		let assignee: Person | null = null;
		if (target.assigneeId !== null) {
			const valid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(target.assigneeId);
			const [member] = valid
				? await tx<Person[]>`
					select u.id, u.name, u.email from shop_members m join users u on u.id = m.user_id
					where m.shop_id = ${target.shopId} and m.user_id = ${target.assigneeId}`
				: [];
			if (!member) throw new StaffActionError('not_a_member', 'This person is not a member of the shop', 'assigneeId');
			assignee = member;
		}
		if ((assignee?.id ?? null) === ret.assigned_to) return { assignee, changed: false };
		await tx`update returns set assigned_to = ${assignee?.id ?? null}, updated_at = now() where id = ${target.returnId}`;
		await recordEvent(tx, {
			shopId: target.shopId,
			returnId: target.returnId,
			type: 'return.assigned',
			actor: staff(userId),
			payload: { from: ret.assigned_to, to: assignee?.id ?? null }
		});
		return { assignee, changed: true };
	});
}

/**
 * Accepts a return the policy sent to review, or one that was declined, against what was decided: the override
 * is recorded first (with the reason and the decision it overrides, and what the policy said), then the
 * acceptance goes through the state machine as any other — or neither is written.
 */
export async function overridePolicy(
	sql: Queryable,
	target: Target & { reason: string; to: 'accepted' },
	userId: string
): Promise<ReturnRecord> {
	if (target.to !== 'accepted') throw new ReturnError('invalid_status', 'A policy can only be overridden to accept a return', 'to');
	const reason = writtenReason(target.reason);
	return inTransaction(sql, async (tx) => {
		const [ret] = await tx<{ decision_status: DecisionStatus; policy_eligibility: string | null }[]>`
			select r.decision_status,
				(select e.payload -> 'policy' ->> 'eligibility' from return_events e
					where e.return_id = r.id and e.type = 'return.created' order by e.id limit 1) as policy_eligibility
			from returns r where r.shop_id = ${target.shopId} and r.id = ${target.returnId} for update`;
		if (!ret) throw new ReturnError('return_not_found', 'This return does not exist', 'returnId');
		if (!OVERRIDABLE.includes(ret.decision_status)) {
			throw new StaffActionError('not_overridable', `Only a return sent to review or declined can be accepted against the policy; this one is ${ret.decision_status}`, 'to');
		}
		await recordEvent(tx, {
			shopId: target.shopId,
			returnId: target.returnId,
			type: 'return.policy_overridden',
			actor: staff(userId),
			payload: { reason, from: ret.decision_status, to: target.to, policyEligibility: ret.policy_eligibility }
		});
		return transitionReturn(
			tx,
			{ shopId: target.shopId, returnId: target.returnId, machine: 'decision', to: target.to, reason, payload: { override: true } },
			staff(userId)
		);
	});
}

/** A return asked for by a customer through staff (on the phone, in the shop). */
export interface StaffReturnRequest {
	shopId: string;
	orderId: string;
	lines: { orderLineId: string; quantity: number; reasonCode: string; comment?: string | null }[];
	resolution: 'refund' | 'store_credit';
	/** How the items come back; keep: the customer keeps them (only where the policy lets them). */
	method: 'label' | 'drop_off' | 'keep';
}

/**
 * Creates it as the customer would, through the same policy (its refusals are thrown as PolicyRefusal), with
 * the channel `staff` and the staff member as actor.
 */
export async function createReturnForCustomer(sql: Queryable, request: StaffReturnRequest, userId: string): Promise<ReturnRecord> {
	const keep = request.method === 'keep';
	return createReturn(
		sql,
		{
			shopId: request.shopId,
			orderId: request.orderId,
			channel: 'staff',
			resolution: request.resolution,
			returnMethod: request.method,
			receptionStatus: keep ? 'not_required' : 'awaiting',
			lines: request.lines.map((l) => ({
				orderLineId: l.orderLineId,
				quantity: l.quantity,
				reasonCode: l.reasonCode,
				comment: l.comment ?? null,
				requestedResolution: request.resolution
			}))
		},
		staff(userId)
	);
}
