import type Stripe from 'stripe';
import type { Queryable, Sql, TransactionSql } from '../db';
import { inTransaction } from '../db/transaction';
import { enqueue } from '../jobs';
import { log } from '../log';
import { recordEvent, type Actor } from '../returns/events';
import { classifyStripeError, type StripeApi } from './stripe';
import { settleReturnLines } from '../returns/settle';
import { notifyReturn } from '../notifications/service';

export type RefundStatus = 'pending' | 'succeeded' | 'failed' | 'canceled';

export interface RefundRecord {
	id: string;
	shopId: string;
	returnId: string;
	purpose: 'return' | 'exchange_difference';
	method: 'stripe' | 'manual';
	amount: number;
	currency: string;
	status: RefundStatus;
	stripeRefundId: string | null;
	stripeStatus: string | null;
	attempts: number;
	failureCode: string | null;
	failureMessage: string | null;
	createdAt: Date;
	updatedAt: Date;
	settledAt: Date | null;
}

export class RefundError extends Error {
	constructor(
		readonly code: 'refund_not_found' | 'not_retryable' | 'already_settled',
		message: string
	) {
		super(message);
		this.name = 'RefundError';
	}
}

/** The key Stripe sees: this row's id, and a generation bumped only after Stripe kept an error under the last one. */
export function idempotencyKey(refundId: string, generation: number): string {
	return generation === 0 ? `retour-refund-${refundId}` : `retour-refund-${refundId}-${generation}`;
}

/**
 * Writes the refund of a return (pending) and enqueues its payment, in the caller's transaction. A return has
 * at most one refund per purpose: a second call (two staff accepting at once, a job run twice) changes nothing.
 */
export async function requestRefund(
	tx: TransactionSql,
	input: { shopId: string; returnId: string; amount: number; currency: string; purpose?: 'return' | 'exchange_difference' },
	actor: Actor
): Promise<string | null> {
	if (!Number.isSafeInteger(input.amount) || input.amount <= 0) return null;
	const [order] = await tx<{ pi: string | null; charge: string | null }[]>`
		select o.stripe_payment_intent_id as pi, o.stripe_charge_id as charge
		from returns r join orders o on o.id = r.order_id where r.shop_id = ${input.shopId} and r.id = ${input.returnId}`;
	if (!order) throw new Error(`Return ${input.returnId} not found`);
	const method = order.pi || order.charge ? 'stripe' : 'manual';
	const [row] = await tx<{ id: string }[]>`
		insert into refunds (shop_id, return_id, purpose, method, amount, currency, stripe_payment_intent_id, stripe_charge_id)
		values (${input.shopId}, ${input.returnId}, ${input.purpose ?? 'return'}, ${method}, ${input.amount}, ${input.currency},
			${order.pi}, ${order.pi ? null : order.charge})
		on conflict (return_id, purpose) do nothing
		returning id`;
	if (!row) return null;
	await recordEvent(tx, {
		shopId: input.shopId,
		returnId: input.returnId,
		type: 'refund.requested',
		actor,
		payload: { refundId: row.id, amount: input.amount, currency: input.currency, method, purpose: input.purpose ?? 'return' }
	});
	if (method === 'stripe') await enqueue(tx, 'refund-send', { shopId: input.shopId, refundId: row.id });
	return row.id;
}

interface RefundRow {
	id: string;
	shop_id: string;
	return_id: string;
	purpose: 'return' | 'exchange_difference';
	method: 'stripe' | 'manual';
	amount: number;
	currency: string;
	status: RefundStatus;
	stripe_payment_intent_id: string | null;
	stripe_charge_id: string | null;
	stripe_refund_id: string | null;
	stripe_status: string | null;
	key_generation: number;
	attempts: number;
	failure_code: string | null;
	failure_message: string | null;
	created_at: Date;
	updated_at: Date;
	settled_at: Date | null;
}

function toRecord(r: RefundRow): RefundRecord {
	return {
		id: r.id,
		shopId: r.shop_id,
		returnId: r.return_id,
		purpose: r.purpose,
		method: r.method,
		amount: r.amount,
		currency: r.currency.trim(),
		status: r.status,
		stripeRefundId: r.stripe_refund_id,
		stripeStatus: r.stripe_status,
		attempts: r.attempts,
		failureCode: r.failure_code,
		failureMessage: r.failure_message,
		createdAt: r.created_at,
		updatedAt: r.updated_at,
		settledAt: r.settled_at
	};
}

export async function listReturnRefunds(sql: Queryable, shopId: string, returnId: string): Promise<RefundRecord[]> {
	const rows = await sql<RefundRow[]>`select * from refunds where shop_id = ${shopId} and return_id = ${returnId} order by created_at`;
	return rows.map(toRecord);
}

export async function getRefund(sql: Queryable, shopId: string, refundId: string): Promise<RefundRecord | undefined> {
	const [row] = await sql<RefundRow[]>`select * from refunds where shop_id = ${shopId} and id = ${refundId}`;
	return row && toRecord(row);
}

const SYSTEM: Actor = { kind: 'system' };

/**
 * The refund job: pays a pending refund through Stripe exactly once.
 *
 * 1. A refund already settled, or already at Stripe (its id known), is left alone: a job run twice does nothing.
 * 2. After any earlier attempt (whose answer may have been lost with a crashed process), Stripe is asked first
 *    for a refund carrying this row's id in its metadata; found, it is recorded and nothing is paid again.
 * 3. The attempt is counted (committed) before the call, so a crash after it is known to need step 2.
 * 4. The call carries the idempotency key of the row: a retry of a lost answer replays the same refund.
 */
export async function processRefund(
	sql: Sql,
	stripe: StripeApi | null,
	job: { refundId: string; lastAttempt: boolean }
): Promise<RefundStatus> {
	const [row] = await sql<RefundRow[]>`select * from refunds where id = ${job.refundId}`;
	if (!row) throw new RefundError('refund_not_found', `Refund ${job.refundId} not found`);
	if (row.status !== 'pending' || row.stripe_refund_id || row.method !== 'stripe') return row.status;
	if (!stripe) {
		await failRefund(sql, row, {
			code: 'stripe_not_configured',
			message: 'STRIPE_SECRET_KEY is not set, so Retour cannot pay this refund. Set it and retry, or pay it another way and record it.'
		});
		return 'failed';
	}
	if (row.attempts > 0) {
		const found = await findStripeRefund(stripe, row);
		if (found) return recordStripeRefund(sql, found, SYSTEM);
	}
	const [counted] = await sql<{ key_generation: number }[]>`
		update refunds set attempts = attempts + 1, updated_at = now()
		where id = ${row.id} and status = 'pending' and stripe_refund_id is null
		returning key_generation`;
	if (!counted) return (await sql<{ status: RefundStatus }[]>`select status from refunds where id = ${row.id}`)[0].status;

	let refund: Stripe.Refund;
	try {
		refund = await stripe.refunds.create(
			{
				...(row.stripe_payment_intent_id ? { payment_intent: row.stripe_payment_intent_id } : { charge: row.stripe_charge_id! }),
				amount: row.amount,
				reason: 'requested_by_customer',
				metadata: { retour_refund_id: row.id, retour_return_id: row.return_id }
			},
			{ idempotencyKey: idempotencyKey(row.id, counted.key_generation) }
		);
	} catch (error) {
		const failure = classifyStripeError(error);
		log.warn({ err: error, refundId: row.id, kind: failure.kind }, 'Stripe refund call failed');
		if (failure.kind === 'final') {
			await failRefund(sql, row, failure);
			return 'failed';
		}
		// Stripe keeps a 500 under its key for a day: the next attempt looks for the refund, then uses a new key.
		if (failure.kind === 'new_key') await sql`update refunds set key_generation = key_generation + 1 where id = ${row.id}`;
		if (job.lastAttempt) {
			await failRefund(sql, row, {
				code: failure.code,
				message: `Stripe did not complete the refund after several attempts (${failure.message}). Retry it: Retour first checks whether Stripe made it.`
			});
			return 'failed';
		}
		await sql`update refunds set failure_code = ${failure.code}, failure_message = ${failure.message}, updated_at = now() where id = ${row.id}`;
		throw error;
	}
	return recordStripeRefund(sql, refund, SYSTEM);
}

/** A refund Stripe made for this row, found by the row's id in its metadata (idempotency keys last only a day). */
export async function findStripeRefund(stripe: StripeApi, row: Pick<RefundRow, 'id' | 'stripe_payment_intent_id' | 'stripe_charge_id'>) {
	const filter = row.stripe_payment_intent_id ? { payment_intent: row.stripe_payment_intent_id } : { charge: row.stripe_charge_id! };
	for await (const refund of stripe.refunds.list({ ...filter, limit: 100 })) {
		if (refund.metadata?.retour_refund_id === row.id) return refund;
	}
	return undefined;
}

const STRIPE_TO_OURS: Record<string, RefundStatus> = {
	succeeded: 'succeeded',
	failed: 'failed',
	canceled: 'canceled',
	pending: 'pending',
	requires_action: 'pending'
};

/**
 * Records what Stripe says of a refund (the call's answer, a reconciliation or a webhook), in one transaction
 * with the row locked. Only a change of status does anything: seeing the same refund again is a no-op.
 */
export async function recordStripeRefund(sql: Queryable, refund: Stripe.Refund, actor: Actor): Promise<RefundStatus> {
	const refundId = refund.metadata?.retour_refund_id;
	return inTransaction(sql, async (tx) => {
		const [row] = await tx<RefundRow[]>`
			select * from refunds where ${refundId ? tx`id::text = ${refundId}` : tx`stripe_refund_id = ${refund.id}`} for update`;
		if (!row) return 'pending';
		const status = STRIPE_TO_OURS[refund.status ?? 'pending'] ?? 'pending';
		if (row.stripe_refund_id === refund.id && row.status === status && row.stripe_status === refund.status) return status;
		if (row.status === 'succeeded' && status !== 'failed' && status !== 'canceled') return row.status; // settled stays settled
		const settled = status === 'succeeded' || status === 'failed' || status === 'canceled';
		await tx`
			update refunds set stripe_refund_id = ${refund.id}, stripe_status = ${refund.status ?? null}, status = ${status},
				failure_code = ${status === 'failed' ? (refund.failure_reason ?? 'failed') : null},
				failure_message = ${status === 'failed' ? `The bank refused the refund (${refund.failure_reason ?? 'no reason given'})` : null},
				settled_at = ${settled ? new Date() : null}, updated_at = now()
			where id = ${row.id}`;
		const type = status === 'succeeded' ? 'refund.succeeded' : status === 'pending' ? 'refund.submitted' : `refund.${status}`;
		await recordEvent(tx, {
			shopId: row.shop_id,
			returnId: row.return_id,
			type,
			actor,
			payload: { refundId: row.id, stripeRefundId: refund.id, amount: row.amount, currency: row.currency.trim(), stripeStatus: refund.status }
		});
		if (row.purpose === 'return' && (status === 'succeeded' || row.status === 'succeeded' || status === 'failed')) {
			await settleReturnLines(tx, row.shop_id, row.return_id, status === 'succeeded' ? 'refunded' : 'failed', actor, { refundId: row.id });
		}
		if (status === 'succeeded') {
			await notifyReturn(tx, row.shop_id, row.return_id, { kind: 'refund_issued', amount: row.amount, currency: row.currency.trim() }, `refund_issued:${row.id}`);
		}
		return status;
	});
}

async function failRefund(sql: Queryable, row: RefundRow, failure: { code: string; message: string }) {
	await inTransaction(sql, async (tx) => {
		const [locked] = await tx<{ status: RefundStatus }[]>`select status from refunds where id = ${row.id} for update`;
		if (locked.status !== 'pending') return;
		await tx`
			update refunds set status = 'failed', failure_code = ${failure.code}, failure_message = ${failure.message.slice(0, 2000)},
				settled_at = now(), updated_at = now()
			where id = ${row.id}`;
		await recordEvent(tx, {
			shopId: row.shop_id,
			returnId: row.return_id,
			type: 'refund.failed',
			actor: SYSTEM,
			payload: { refundId: row.id, code: failure.code, message: failure.message }
		});
		if (row.purpose === 'return') await settleReturnLines(tx, row.shop_id, row.return_id, 'failed', SYSTEM, { refundId: row.id });
	});
}

/** Staff retry a failed refund: pending again, with a job. Reconciliation runs first, so nothing is paid twice. */
export async function retryRefund(sql: Queryable, shopId: string, refundId: string, actor: Actor): Promise<void> {
	await inTransaction(sql, async (tx) => {
		const [row] = await tx<RefundRow[]>`select * from refunds where shop_id = ${shopId} and id = ${refundId} for update`;
		if (!row) throw new RefundError('refund_not_found', 'This refund does not exist');
		if (row.status !== 'failed') throw new RefundError('not_retryable', `Only a failed refund can be retried; this one is ${row.status}`);
		if (row.method !== 'stripe') throw new RefundError('not_retryable', 'This order was not paid through Stripe: record the refund once paid');
		await tx`
			update refunds set status = 'pending', settled_at = null, updated_at = now(), failure_code = null, failure_message = null,
				-- a refund Stripe refused (not one it failed to answer) gets a fresh key: the old one replays the refusal
				key_generation = key_generation + 1, stripe_refund_id = case when stripe_status = 'failed' then null else stripe_refund_id end
			where id = ${row.id}`;
		await recordEvent(tx, {
			shopId,
			returnId: row.return_id,
			type: 'refund.retried',
			actor,
			payload: { refundId: row.id, previousFailure: row.failure_code, previousMessage: row.failure_message }
		});
		await settleReturnLines(tx, shopId, row.return_id, 'pending', actor, { refundId: row.id });
		await enqueue(tx, 'refund-send', { shopId, refundId: row.id });
	});
}

/** Staff record a refund they paid outside Retour (an order paid another way, or after a refusal). */
export async function recordManualRefund(sql: Queryable, shopId: string, refundId: string, note: string, actor: Actor): Promise<void> {
	await inTransaction(sql, async (tx) => {
		const [row] = await tx<RefundRow[]>`select * from refunds where shop_id = ${shopId} and id = ${refundId} for update`;
		if (!row) throw new RefundError('refund_not_found', 'This refund does not exist');
		if (row.status === 'succeeded') throw new RefundError('already_settled', 'This refund is already paid');
		if (row.status === 'pending' && row.method === 'stripe') {
			throw new RefundError('not_retryable', 'Stripe is paying this refund: wait for its result before recording it by hand');
		}
		await tx`update refunds set status = 'succeeded', settled_at = now(), updated_at = now(), failure_code = null, failure_message = null where id = ${row.id}`;
		await recordEvent(tx, {
			shopId,
			returnId: row.return_id,
			type: 'refund.recorded',
			actor,
			payload: { refundId: row.id, amount: row.amount, currency: row.currency.trim(), note: note.trim() || null }
		});
		if (row.purpose === 'return') await settleReturnLines(tx, shopId, row.return_id, 'refunded', actor, { refundId: row.id });
		await notifyReturn(tx, shopId, row.return_id, { kind: 'refund_issued', amount: row.amount, currency: row.currency.trim() }, `refund_issued:${row.id}`);
	});
}
