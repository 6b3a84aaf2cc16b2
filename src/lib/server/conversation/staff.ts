import type { Queryable } from '../db';
import type { Message, Step } from './engine';

/**
 * What staff read of an order's conversations: where each stands, whether the customer asked for a person (and
 * whether staff answered, by whom and how), and the transcript.
 */
export interface StaffConversation {
	id: string;
	step: Step;
	locale: 'en' | 'fr';
	startedAt: Date;
	updatedAt: Date;
	handoffRequestedAt: Date | null;
	/** The customer asked for a person and no answer has been recorded since. */
	handoffWaiting: boolean;
	handoffResolvedAt: Date | null;
	/** What the staff member did or told the customer. */
	handoffResolution: string | null;
	/** Who answered, while they are still a user. */
	handoffResolvedBy: { id: string; name: string; email: string } | null;
	rma: string | null;
	photos: number;
	transcript: Message[];
}

/** The columns a request for a person and its answer are read from (users joined for the one who answered). */
export interface HandoffRow {
	handoff_requested_at: Date | null;
	handoff_resolved_at: Date | null;
	handoff_resolution: string | null;
	resolver_id: string | null;
	resolver_name: string | null;
	resolver_email: string | null;
}

/** A request waits while it has no answer, or only one older than it (the customer asked again since). */
export function handoffWaiting(requestedAt: Date | null, resolvedAt: Date | null): boolean {
	return requestedAt !== null && (resolvedAt === null || resolvedAt < requestedAt);
}

export function handoffOf(r: HandoffRow) {
	return {
		handoffRequestedAt: r.handoff_requested_at,
		handoffWaiting: handoffWaiting(r.handoff_requested_at, r.handoff_resolved_at),
		handoffResolvedAt: r.handoff_resolved_at,
		handoffResolution: r.handoff_resolution,
		handoffResolvedBy: r.resolver_id && r.resolver_email ? { id: r.resolver_id, name: r.resolver_name ?? '', email: r.resolver_email } : null
	};
}

export async function listOrderConversations(sql: Queryable, shopId: string, orderId: string): Promise<StaffConversation[]> {
	const rows = await sql<
		(HandoffRow & { id: string; step: Step; locale: 'en' | 'fr'; created_at: Date; updated_at: Date; rma: string | null; photos: number; transcript: Message[] })[]
	>`
		select c.id, c.step, c.locale, c.created_at, c.updated_at, c.handoff_requested_at, c.handoff_resolved_at, c.handoff_resolution, u.id as resolver_id, u.name as resolver_name, u.email as resolver_email, r.rma,
			(select count(*)::int from conversation_photos p where p.conversation_id = c.id) as photos,
			c.state -> 'transcript' as transcript
		from conversations c left join returns r on r.id = c.return_id left join users u on u.id = c.handoff_resolved_by
		where c.shop_id = ${shopId} and c.order_id = ${orderId}
		order by c.created_at desc`;
	return rows.map((r) => ({
		id: r.id,
		step: r.step,
		locale: r.locale,
		startedAt: r.created_at,
		updatedAt: r.updated_at,
		...handoffOf(r),
		rma: r.rma,
		photos: r.photos,
		transcript: r.transcript
	}));
}
