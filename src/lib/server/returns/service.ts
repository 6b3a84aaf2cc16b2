import type { Queryable, TransactionSql } from '../db';
import { inTransaction } from '../db/transaction';
import { recordEvent, type Actor } from './events';
import {
	checkTransition,
	isClosed,
	type DecisionStatus,
	type ReceptionStatus,
	type ResolutionStatus
} from './lifecycle';
import { generateRma } from './rma';
import { afterTransition } from './fulfilment';
import { ExchangeError, reserveExchanges } from '../exchanges/service';
import { latestTiming } from './fulfilment-plan';
import { enforceReturnPolicy, enforceWith, type OrderDecisionFacts, type ReturnDecision } from '../policy/service';
import type { Quote } from '../policy/quote';
import type { ItemCondition, Resolution } from '../policy/rules';
import { saveAssessment } from '../risk/assessments';
import { SCORER_VERSION } from '../risk/score';

export type { Actor } from './events';

export type ReturnChannel = 'customer' | 'staff' | 'api' | 'import' | 'demo';
export type RequestedResolution = 'refund' | 'store_credit' | 'exchange' | 'keep';

/** A customer's structured answer, kept as a typed row for analytics (fit.direction = too_small, …). */
export type Answer = { question: string } & (
	| { type: 'text'; value: string }
	| { type: 'number'; value: number }
	| { type: 'boolean'; value: boolean }
	| { type: 'device'; deviceId: string }
);

export interface NewReturnLine {
	orderLineId: string;
	quantity: number;
	reasonCode: string;
	comment?: string | null;
	requestedResolution?: RequestedResolution | null;
	answers?: Answer[];
	/** The item's condition as the customer describes it (policy rules may read it). */
	itemCondition?: ItemCondition | null;
	/** For an exchange: the variant (another size, colour) or the product the customer asked for. */
	exchangeVariantId?: string | null;
	exchangeProductId?: string | null;
}

export interface NewReturn {
	shopId: string;
	orderId: string;
	channel: ReturnChannel;
	lines: NewReturnLine[];
	isWithdrawal?: boolean;
	locale?: 'en' | 'fr' | null;
	/** `not_required` when the customer keeps the item. */
	receptionStatus?: 'awaiting' | 'not_required';
	/** When it was asked for; defaults to now (imports and the demo pass historic times). */
	requestedAt?: Date;
	/** The resolution chosen for the return; defaults to the first line's requested one, else a refund. */
	resolution?: Resolution;
	/** The total the customer was shown (minor units): a different amount is refused, never paid. */
	expectedTotal?: number | null;
	/** How the items go back: a prepaid label, a drop-off code, or not at all (kept). */
	returnMethod?: 'label' | 'drop_off' | 'keep' | null;
	/** false: the return waits for a person's decision even within the policy (default: accepted at once). */
	autoAccept?: boolean;
}

export interface ReturnLineRecord {
	id: string;
	orderLineId: string;
	quantity: number;
	reasonCode: string;
	comment: string | null;
	requestedResolution: RequestedResolution | null;
	resolutionStatus: ResolutionStatus;
}

export interface ReturnRecord {
	id: string;
	shopId: string;
	orderId: string;
	customerId: string;
	rma: string;
	receptionStatus: ReceptionStatus;
	decisionStatus: DecisionStatus;
	channel: ReturnChannel;
	isWithdrawal: boolean;
	currency: string;
	requestedAt: Date;
	closedAt: Date | null;
	/** The policy version it was decided under; null for returns imported from another system. */
	policyVersionId: string | null;
	/** The quote the customer was shown, for the resolution it was made for, which the refund later pays. */
	quote: (Quote & { resolution: Resolution }) | null;
	lines: ReturnLineRecord[];
}

/** A refusal the caller can show: what is wrong, and which input field it concerns. */
export class ReturnError extends Error {
	constructor(
		readonly code:
			| 'order_not_found'
			| 'return_not_found'
			| 'line_not_found'
			| 'no_lines'
			| 'duplicate_line'
			| 'invalid_quantity'
			| 'quantity_exceeded'
			| 'unknown_reason'
			| 'reason_not_selectable'
			| 'invalid_answer'
			| 'invalid_status'
			| 'invalid_transition'
			| 'reason_required'
			| 'out_of_stock',
		message: string,
		readonly field?: string
	) {
		super(message);
		this.name = 'ReturnError';
	}
}

/** How many of each line of an order are already in a return that still counts. */
export async function returnedQuantities(sql: Queryable, shopId: string, orderId: string): Promise<Map<string, number>> {
	const rows = await sql<{ order_line_id: string; quantity: number }[]>`
		select rl.order_line_id, sum(rl.quantity)::int as quantity
		from return_lines rl join returns r on r.id = rl.return_id
		where r.shop_id = ${shopId} and r.order_id = ${orderId} 
			and r.decision_status not in ('cancelled', 'rejected') -- those no longer hold the units
		group by rl.order_line_id`;
	return new Map(rows.map((r) => [r.order_line_id, r.quantity]));
}

/**
 * Creates a return with its lines and answers, and its first event, in one transaction. The order row is
 * locked so two requests cannot both return the last unit of a line.
 */
export async function createReturn(
	sql: Queryable,
	given: NewReturn,
	actor: Actor,
	options: {
		/**
		 * The policy's facts on the order, loaded in the caller's transaction after it locked the order row and the
		 * customer (as below): decided on as they are instead of read again. The return is requested at their time.
		 */
		facts?: OrderDecisionFacts;
	} = {}
): Promise<ReturnRecord> {
	// The withdrawal reason and the withdrawal flag are one fact: either makes the return a withdrawal.
	const input = { ...given, isWithdrawal: (given.isWithdrawal ?? false) || given.lines.some((l) => l.reasonCode === 'withdrawal') };
	if (input.lines.length === 0) throw new ReturnError('no_lines', 'Choose at least one item to return', 'lines');
	const seen = new Set<string>();
	input.lines.forEach((line, i) => {
		if (seen.has(line.orderLineId)) {
			throw new ReturnError('duplicate_line', 'The same order line appears twice', `lines[${i}].orderLineId`);
		}
		seen.add(line.orderLineId);
		if (!Number.isInteger(line.quantity) || line.quantity < 1) {
			throw new ReturnError('invalid_quantity', 'Quantity must be a whole number of at least 1', `lines[${i}].quantity`);
		}
		line.answers?.forEach((a, j) => {
			if (!/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/.test(a.question)) {
				throw new ReturnError('invalid_answer', `"${a.question}" is not a question code like "fit.direction"`, `lines[${i}].answers[${j}].question`);
			}
		});
	});

	return inTransaction(sql, async (tx) => {
		const [order] = await tx<{ id: string; customer_id: string; currency: string; locale: string | null }[]>`
			select id, customer_id, currency, locale from orders
			where shop_id = ${input.shopId} and id = ${input.orderId} for update`;
		if (!order) throw new ReturnError('order_not_found', 'This order does not exist', 'orderId');

		const ids = input.lines.map((l) => l.orderLineId);
		const codes = [...new Set(input.lines.map((l) => l.reasonCode))];
		// One round trip, in this order: the checks' reads, then (every path but an import goes through the policy)
		// the customer's lock, one return of a customer at a time, so two at once cannot both escape a rule on
		// their return count.
		const [orderLines, returned, reasons] = await Promise.all([
			tx<{ id: string; quantity: number }[]>`
				select id, quantity from order_lines where shop_id = ${input.shopId} and order_id = ${order.id} and id in ${tx(ids)}`,
			returnedQuantities(tx, input.shopId, order.id),
			tx<{ code: string; active: boolean; has_children: boolean }[]>`
				select r.code, r.active,
					exists (select 1 from return_reasons c where c.shop_id = r.shop_id and c.parent_code = r.code) as has_children
				from return_reasons r where r.shop_id = ${input.shopId} and r.code in ${tx(codes)}`,
			input.channel === 'import' ? null : tx`select pg_advisory_xact_lock(hashtextextended(${customerLockKey(order.customer_id)}, 0))`
		]);
		const ordered = new Map(orderLines.map((l) => [l.id, l.quantity]));
		const reasonByCode = new Map(reasons.map((r) => [r.code, r]));

		input.lines.forEach((line, i) => {
			const quantity = ordered.get(line.orderLineId);
			if (quantity === undefined) {
				throw new ReturnError('line_not_found', 'This item is not part of the order', `lines[${i}].orderLineId`);
			}
			const left = quantity - (returned.get(line.orderLineId) ?? 0);
			if (line.quantity > left) {
				throw new ReturnError(
					'quantity_exceeded',
					left === 0
						? 'Every unit of this item is already in a return'
						: `Only ${left} of ${quantity} can still be returned`,
					`lines[${i}].quantity`
				);
			}
			const reason = reasonByCode.get(line.reasonCode);
			if (!reason || !reason.active) {
				throw new ReturnError('unknown_reason', `"${line.reasonCode}" is not one of the shop's return reasons`, `lines[${i}].reasonCode`);
			}
			if (reason.has_children) {
				throw new ReturnError('reason_not_selectable', `"${line.reasonCode}" is a group: choose one of its reasons`, `lines[${i}].reasonCode`);
			}
		});

		const requestedAt = input.requestedAt ?? options.facts?.at ?? new Date();
		// Returns imported from another system were decided there; every other path goes through the policy.
		const decision = input.channel === 'import' ? null : await enforcePolicy(tx, input, requestedAt, options.facts);
		const ret = await insertReturnRow(tx, input, order, requestedAt, decision);
		const lineRows = await tx<{ id: string; order_line_id: string }[]>`
			insert into return_lines ${tx(
				input.lines.map((l) => ({
					shop_id: input.shopId,
					return_id: ret.id,
					order_line_id: l.orderLineId,
					quantity: l.quantity,
					reason_code: l.reasonCode,
					customer_comment: l.comment?.trim() || null,
					requested_resolution: l.requestedResolution ?? null,
					exchange_variant_id: l.exchangeVariantId ?? null,
					exchange_product_id: l.exchangeProductId ?? null,
					created_at: requestedAt,
					updated_at: requestedAt
				}))
			)}
			returning id, order_line_id`;
		const lineId = new Map(lineRows.map((r) => [r.order_line_id, r.id]));
		const answers = input.lines.flatMap((l) =>
			(l.answers ?? []).map((a) => ({
				shop_id: input.shopId,
				return_line_id: lineId.get(l.orderLineId)!,
				question: a.question,
				value_type: a.type,
				text_value: a.type === 'text' ? a.value : null,
				number_value: a.type === 'number' ? a.value : null,
				boolean_value: a.type === 'boolean' ? a.value : null,
				device_id: a.type === 'device' ? a.deviceId : null,
				created_at: requestedAt
			}))
		);
		if (answers.length) await tx`insert into return_answers ${tx(answers)}`;
		// The item asked for in exchange is held from now (the variant locked: its last unit goes to one customer).
		if (input.channel !== 'import' && input.channel !== 'demo') {
			try {
				await reserveExchanges(tx, input.shopId, ret.id);
			} catch (error) {
				if (error instanceof ExchangeError) throw new ReturnError('out_of_stock', error.message, error.field);
				throw error;
			}
		}

		// The return's first events and its risk assessment are written together (one round trip).
		const created = recordEvent(tx, {
			shopId: input.shopId,
			returnId: ret.id,
			type: 'return.created',
			actor,
			at: requestedAt,
			payload: {
				rma: ret.rma,
				channel: input.channel,
				isWithdrawal: input.isWithdrawal ?? false,
				lines: input.lines.map((l) => ({
					orderLineId: l.orderLineId,
					quantity: l.quantity,
					reasonCode: l.reasonCode,
					requestedResolution: l.requestedResolution ?? null
				})),
				policy: decision && {
					versionId: decision.policyVersionId,
					eligibility: decision.eligibility,
					lines: decision.lines.map((l) => ({
						orderLineId: l.orderLineId,
						eligibility: l.decision.eligibility,
						explanation: l.decision.explanation,
						matchedRules: l.decision.matchedRules
					})),
					quote: decision.quote
				}
			}
		});
		const assessed = decision?.risk && [
			saveAssessment(tx, { shopId: input.shopId, returnId: ret.id, assessment: decision.risk.assessment, facts: decision.risk.facts, scorer: SCORER_VERSION, at: requestedAt }),
			recordEvent(tx, {
				shopId: input.shopId,
				returnId: ret.id,
				type: 'return.risk_assessed',
				actor: { kind: 'system' },
				at: requestedAt,
				payload: { score: decision.risk.assessment.score, level: decision.risk.assessment.level, signals: decision.risk.assessment.signals, scorer: SCORER_VERSION }
			})
		];
		await Promise.all([created, ...(assessed || [])]);
		// A return decided at once is read back by the transition (its record is what the caller gets).
		if (decision?.eligibility === 'needs_review') {
			// Lines held by one rule say the same thing: each sentence once, in both languages for the team's history.
			const held = decision.lines.filter((l) => l.decision.eligibility === 'needs_review').map((l) => l.decision.explanation);
			const explanations = [...new Map(held.map((e) => [e.en, e])).values()];
			const explanation = { en: explanations.map((e) => e.en).join(' '), fr: explanations.map((e) => e.fr).join(' ') };
			return transitionReturn(
				tx,
				{
					shopId: input.shopId,
					returnId: ret.id,
					machine: 'decision',
					to: 'needs_review',
					reason: explanation.en,
					at: requestedAt,
					payload: { explanation }
				},
				{ kind: 'system' }
			);
		} else if (decision && input.autoAccept !== false && AUTO_ACCEPTED.includes(input.channel)) {
			// Within the policy: accepted at once, and its label, refund or credit follow (the policy's timing).
			return transitionReturn(
				tx,
				{ shopId: input.shopId, returnId: ret.id, machine: 'decision', to: 'accepted', at: requestedAt, payload: { automatic: true } },
				{ kind: 'system' }
			);
		}
		return (await loadReturn(tx, input.shopId, ret.id))!;
	});
}

/** Channels whose returns within the policy are accepted on creation (the demo's history keeps its statuses). */
const AUTO_ACCEPTED: readonly ReturnChannel[] = ['customer', 'api', 'staff'];

const RESOLUTION_OF: Record<RequestedResolution, Resolution> = {
	refund: 'refund',
	store_credit: 'store_credit',
	exchange: 'exchange_variant',
	keep: 'refund'
};

/** The transaction lock that lets one return of a customer be decided at a time: this prefix and the customer's id. */
export const CUSTOMER_LOCK_PREFIX = 'customer:';
const customerLockKey = (customerId: string) => CUSTOMER_LOCK_PREFIX + customerId;

async function enforcePolicy(tx: TransactionSql, input: NewReturn, at: Date, facts: OrderDecisionFacts | undefined) {
	const requested = input.lines[0].requestedResolution ?? null;
	const resolution = input.resolution ?? (requested ? RESOLUTION_OF[requested] : 'refund');
	const request = {
		shopId: input.shopId,
		orderId: input.orderId,
		lines: input.lines.map((l) => ({ orderLineId: l.orderLineId, quantity: l.quantity, reasonCode: l.reasonCode, itemCondition: l.itemCondition })),
		isWithdrawal: input.isWithdrawal ?? false,
		resolution,
		keepItem: requested === 'keep' || input.receptionStatus === 'not_required',
		expectedTotal: input.expectedTotal,
		at
	};
	const decision = facts ? enforceWith(facts, request) : await enforceReturnPolicy(tx, request);
	return { ...decision, resolution };
}

async function insertReturnRow(
	tx: TransactionSql,
	input: NewReturn,
	order: { id: string; customer_id: string; currency: string; locale: string | null },
	requestedAt: Date,
	decision: (ReturnDecision & { quote: Quote; resolution: Resolution }) | null
): Promise<{ id: string; rma: string }> {
	// 40 random bits: a clash is rare, and retried rather than failing the customer.
	for (let attempt = 0; attempt < 5; attempt++) {
		const [row] = await tx<{ id: string; rma: string }[]>`
			insert into returns (shop_id, order_id, customer_id, rma, reception_status, channel, is_withdrawal,
				currency, locale, policy_version_id, quote, return_method, refund_timing, requested_at, created_at, updated_at)
			values (${input.shopId}, ${order.id}, ${order.customer_id}, ${generateRma()},
				${input.receptionStatus ?? 'awaiting'}, ${input.channel}, ${input.isWithdrawal ?? false},
				${order.currency.trim()}, ${input.locale ?? order.locale}, ${decision?.policyVersionId ?? null},
				${decision ? tx.json({ ...decision.quote, resolution: decision.resolution } as never) : null},
				${input.returnMethod ?? (input.receptionStatus === 'not_required' ? 'keep' : null)},
				${decision ? latestTiming(decision.lines.map((l) => l.decision.outputs.refundTiming)) : null},
				${requestedAt}, ${requestedAt}, ${requestedAt})
			on conflict (rma) do nothing
			returning id, rma`;
		if (row) return row;
	}
	throw new Error('Could not allocate a unique RMA number');
}

export interface TransitionInput {
	shopId: string;
	returnId: string;
	machine: 'reception' | 'decision';
	to: string;
	/** Required for reject, hold, ask for information and overrides; shown to staff and in the history. */
	reason?: string | null;
	payload?: Record<string, unknown>;
	at?: Date;
}

/** Moves a return's reception or decision through its transition table, with its event. */
export async function transitionReturn(sql: Queryable, input: TransitionInput, actor: Actor): Promise<ReturnRecord> {
	return inTransaction(sql, async (tx) => {
		const [row] = await tx<{ reception_status: ReceptionStatus; decision_status: DecisionStatus }[]>`
			select reception_status, decision_status from returns
			where shop_id = ${input.shopId} and id = ${input.returnId} for update`;
		if (!row) throw new ReturnError('return_not_found', 'This return does not exist', 'returnId');
		const from = input.machine === 'reception' ? row.reception_status : row.decision_status;
		const check =
			input.machine === 'reception'
				? checkTransition('reception', row.reception_status, input.to, input.reason)
				: checkTransition('decision', row.decision_status, input.to, input.reason);
		if (!check.ok) throw new ReturnError(check.code, check.message, 'to');
		if (input.machine === 'decision' && !holdsUnits(row.decision_status) && holdsUnits(input.to)) {
			await checkUnitsStillFree(tx, input.shopId, input.returnId);
		}
		const at = input.at ?? new Date();
		if (input.machine === 'reception') {
			await tx`update returns set reception_status = ${input.to}, updated_at = ${at} where id = ${input.returnId}`;
		} else {
			await tx`update returns set decision_status = ${input.to}, updated_at = ${at} where id = ${input.returnId}`;
		}
		await recordEvent(tx, {
			shopId: input.shopId,
			returnId: input.returnId,
			type: input.machine === 'reception' ? 'return.reception_changed' : 'return.decision_changed',
			actor,
			at,
			payload: { from, to: input.to, reason: input.reason?.trim() || null, ...input.payload }
		});
		const trigger =
			input.machine === 'decision'
				? input.to === 'accepted'
					? 'accepted'
					: input.to === 'cancelled' || input.to === 'rejected'
						? 'cancelled'
						: input.to === 'info_requested'
							? 'info_requested'
							: null
				: input.to === 'in_transit' || input.to === 'received'
					? input.to
					: null;
		if (trigger) await afterTransition(tx, input.shopId, input.returnId, trigger, actor, input.reason);
		await closeIfDone(tx, input.shopId, input.returnId, actor, at);
		return (await loadReturn(tx, input.shopId, input.returnId))!;
	});
}

/** Rejected and cancelled returns give their units back to the order; the others hold them. */
function holdsUnits(decision: string): boolean {
	return decision !== 'rejected' && decision !== 'cancelled';
}

/**
 * Overriding a rejection takes the return's units again: another return may have taken them since.
 * The order is locked as in createReturn, so two such changes cannot both succeed.
 */
async function checkUnitsStillFree(tx: TransactionSql, shopId: string, returnId: string) {
	const lines = await tx<{ order_line_id: string; quantity: number; ordered: number; order_id: string }[]>`
		select rl.order_line_id, rl.quantity, ol.quantity as ordered, ol.order_id
		from return_lines rl join order_lines ol on ol.id = rl.order_line_id
		where rl.return_id = ${returnId}`;
	if (lines.length === 0) return;
	await tx`select id from orders where shop_id = ${shopId} and id = ${lines[0].order_id} for update`;
	const taken = await returnedQuantities(tx, shopId, lines[0].order_id);
	lines.forEach((line, i) => {
		const left = line.ordered - (taken.get(line.order_line_id) ?? 0);
		if (line.quantity > left) {
			throw new ReturnError(
				'quantity_exceeded',
				`Another return has taken this item since: only ${Math.max(0, left)} of ${line.ordered} can still be returned`,
				`lines[${i}].quantity`
			);
		}
	});
}

export interface ResolveLineInput {
	shopId: string;
	returnLineId: string;
	to: ResolutionStatus;
	payload?: Record<string, unknown>;
	at?: Date;
}

/** Records what became of one line (refunded, credited, exchanged, kept, failed), with its event. */
export async function resolveLine(sql: Queryable, input: ResolveLineInput, actor: Actor): Promise<ReturnRecord> {
	return inTransaction(sql, async (tx) => {
		const [line] = await tx<{ return_id: string; resolution_status: ResolutionStatus }[]>`
			select rl.return_id, rl.resolution_status from return_lines rl
			join returns r on r.id = rl.return_id
			where rl.shop_id = ${input.shopId} and rl.id = ${input.returnLineId}
			for update of r, rl`;
		if (!line) throw new ReturnError('line_not_found', 'This return line does not exist', 'returnLineId');
		const check = checkTransition('resolution', line.resolution_status, input.to);
		if (!check.ok) throw new ReturnError(check.code, check.message, 'to');
		const at = input.at ?? new Date();
		await tx`update return_lines set resolution_status = ${input.to}, updated_at = ${at} where id = ${input.returnLineId}`;
		await tx`update returns set updated_at = ${at} where id = ${line.return_id}`;
		await recordEvent(tx, {
			shopId: input.shopId,
			returnId: line.return_id,
			type: 'return.line_resolved',
			actor,
			at,
			payload: { returnLineId: input.returnLineId, from: line.resolution_status, to: input.to, ...input.payload }
		});
		await closeIfDone(tx, input.shopId, line.return_id, actor, at);
		return (await loadReturn(tx, input.shopId, line.return_id))!;
	});
}

async function closeIfDone(tx: TransactionSql, shopId: string, returnId: string, actor: Actor, at: Date) {
	const [r] = await tx<{ decision_status: DecisionStatus; reception_status: ReceptionStatus; closed_at: Date | null; statuses: ResolutionStatus[] }[]>`
		select r.decision_status, r.reception_status, r.closed_at, array_agg(rl.resolution_status) as statuses
		from returns r join return_lines rl on rl.return_id = r.id
		where r.id = ${returnId} group by r.id`;
	const closed = isClosed(r.decision_status, r.statuses, r.reception_status);
	if (closed && !r.closed_at) {
		await tx`update returns set closed_at = ${at} where id = ${returnId}`;
		await recordEvent(tx, { shopId, returnId, type: 'return.closed', actor, at, payload: { decision: r.decision_status } });
	} else if (!closed && r.closed_at) {
		await tx`update returns set closed_at = null where id = ${returnId}`;
		await recordEvent(tx, { shopId, returnId, type: 'return.reopened', actor, at, payload: { decision: r.decision_status } });
	}
}

export async function loadReturn(sql: Queryable, shopId: string, returnId: string): Promise<ReturnRecord | undefined> {
	const [[r], lines] = await Promise.all([
		sql`select * from returns where shop_id = ${shopId} and id = ${returnId}`,
		sql`select * from return_lines where shop_id = ${shopId} and return_id = ${returnId} order by created_at, id`
	]);
	if (!r) return undefined;
	return {
		id: r.id as string,
		shopId: r.shop_id as string,
		orderId: r.order_id as string,
		customerId: r.customer_id as string,
		rma: r.rma as string,
		receptionStatus: r.reception_status as ReceptionStatus,
		decisionStatus: r.decision_status as DecisionStatus,
		channel: r.channel as ReturnChannel,
		isWithdrawal: r.is_withdrawal as boolean,
		currency: (r.currency as string).trim(),
		requestedAt: r.requested_at as Date,
		closedAt: (r.closed_at as Date | null) ?? null,
		policyVersionId: (r.policy_version_id as string | null) ?? null,
		quote: (r.quote as (Quote & { resolution: Resolution }) | null) ?? null,
		lines: lines.map((l) => ({
			id: l.id as string,
			orderLineId: l.order_line_id as string,
			quantity: l.quantity as number,
			reasonCode: l.reason_code as string,
			comment: (l.customer_comment as string | null) ?? null,
			requestedResolution: (l.requested_resolution as RequestedResolution | null) ?? null,
			resolutionStatus: l.resolution_status as ResolutionStatus
		}))
	};
}
