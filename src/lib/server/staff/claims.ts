import type { Queryable } from '../db';
import { inTransaction } from '../db/transaction';

/**
 * "I never received it": a claim about an order, recorded by staff when the customer tells them. The risk
 * score counts these claims for the customer's later returns, so one order holds one claim: saying it twice
 * is the same fact, not a second one.
 */

export const CLAIM_NOTE_MAX_LENGTH = 2000;

export class ClaimError extends Error {
	constructor(
		readonly code: 'order_not_found' | 'note_too_long' | 'already_claimed',
		message: string,
		readonly field?: string
	) {
		super(message);
		this.name = 'ClaimError';
	}
}

export interface OrderClaim {
	id: string;
	orderId: string;
	customerId: string;
	kind: 'not_received';
	note: string | null;
	createdBy: { id: string; name: string; email: string } | null;
	createdAt: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function recordNotReceivedClaim(
	sql: Queryable,
	input: { shopId: string; orderId: string; note?: string | null },
	userId: string
): Promise<OrderClaim> {
	const note = input.note?.trim() || null;
	if (note && note.length > CLAIM_NOTE_MAX_LENGTH) throw new ClaimError('note_too_long', `At most ${CLAIM_NOTE_MAX_LENGTH} characters`, 'note');
	if (!UUID.test(input.orderId)) throw new ClaimError('order_not_found', 'This order does not exist', 'orderId');
	return inTransaction(sql, async (tx) => {
		// The order's row lock: two staff members recording the same call cannot both write a claim.
		const [order] = await tx<{ id: string; customer_id: string }[]>`
			select id, customer_id from orders where shop_id = ${input.shopId} and id = ${input.orderId} for update`;
		if (!order) throw new ClaimError('order_not_found', 'This order does not exist', 'orderId');
		const [existing] = await tx`
			select 1 from order_claims where shop_id = ${input.shopId} and order_id = ${order.id} and kind = 'not_received'`;
		if (existing) throw new ClaimError('already_claimed', 'A claim is already recorded for this order');
		const [row] = await tx<{ id: string }[]>`
			insert into order_claims (shop_id, order_id, customer_id, kind, note, created_by)
			values (${input.shopId}, ${order.id}, ${order.customer_id}, 'not_received', ${note}, ${userId})
			returning id`;
		return (await listOrderClaims(tx, input.shopId, order.id)).find((c) => c.id === row.id)!;
	});
}

/** An order's claims, oldest first, with who recorded them (null: sent by the shop, or a former member). */
export async function listOrderClaims(sql: Queryable, shopId: string, orderId: string): Promise<OrderClaim[]> {
	if (!UUID.test(orderId)) return [];
	const rows = await sql<
		{ id: string; order_id: string; customer_id: string; note: string | null; created_at: Date; user_id: string | null; name: string | null; email: string | null }[]
	>`
		select k.id, k.order_id, k.customer_id, k.note, k.created_at, u.id as user_id, u.name, u.email
		from order_claims k left join users u on u.id = k.created_by
		where k.shop_id = ${shopId} and k.order_id = ${orderId} and k.kind = 'not_received'
		order by k.created_at, k.id`;
	return rows.map((r) => ({
		id: r.id,
		orderId: r.order_id,
		customerId: r.customer_id,
		kind: 'not_received',
		note: r.note,
		createdBy: r.user_id && r.email ? { id: r.user_id, name: r.name ?? '', email: r.email } : null,
		createdAt: r.created_at
	}));
}
