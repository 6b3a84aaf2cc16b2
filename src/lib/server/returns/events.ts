import type { Queryable } from '../db';

export type ActorKind = 'customer' | 'staff' | 'system' | 'api' | 'import';

/** Who made a change: a staff member's user id, the customer's id, an API key's id, or the system. */
export interface Actor {
	kind: ActorKind;
	id?: string | null;
}

export interface ReturnEvent {
	id: number;
	type: string;
	actorKind: ActorKind;
	actorId: string | null;
	payload: Record<string, unknown>;
	createdAt: Date;
}

/** Appends to return_events; call it inside the transaction that makes the change. */
export async function recordEvent(
	tx: Queryable,
	event: { shopId: string; returnId: string; type: string; actor: Actor; payload?: Record<string, unknown>; at?: Date }
): Promise<void> {
	await tx`
		insert into return_events (shop_id, return_id, type, actor_kind, actor_id, payload, created_at)
		values (${event.shopId}, ${event.returnId}, ${event.type}, ${event.actor.kind}, ${event.actor.id ?? null},
			${tx.json((event.payload ?? {}) as never)}, ${event.at ?? new Date()})`;
}

export async function listEvents(sql: Queryable, shopId: string, returnId: string): Promise<ReturnEvent[]> {
	const rows = await sql`
		select id, type, actor_kind, actor_id, payload, created_at from return_events
		where shop_id = ${shopId} and return_id = ${returnId} order by id`;
	return rows.map((r) => ({
		id: r.id as number,
		type: r.type as string,
		actorKind: r.actor_kind as ActorKind,
		actorId: (r.actor_id as string | null) ?? null,
		payload: r.payload as Record<string, unknown>,
		createdAt: r.created_at as Date
	}));
}
