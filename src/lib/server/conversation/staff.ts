import type { Queryable } from '../db';
import type { Message, Step } from './engine';

/** What staff read of an order's conversations: where each stands, whether the customer asked for a person, and the transcript. */
export interface StaffConversation {
	id: string;
	step: Step;
	locale: 'en' | 'fr';
	startedAt: Date;
	updatedAt: Date;
	handoffRequestedAt: Date | null;
	rma: string | null;
	photos: number;
	transcript: Message[];
}

export async function listOrderConversations(sql: Queryable, shopId: string, orderId: string): Promise<StaffConversation[]> {
	const rows = await sql<
		{ id: string; step: Step; locale: 'en' | 'fr'; created_at: Date; updated_at: Date; handoff_requested_at: Date | null; rma: string | null; photos: number; transcript: Message[] }[]
	>`
		select c.id, c.step, c.locale, c.created_at, c.updated_at, c.handoff_requested_at, r.rma,
			(select count(*)::int from conversation_photos p where p.conversation_id = c.id) as photos,
			c.state -> 'transcript' as transcript
		from conversations c left join returns r on r.id = c.return_id
		where c.shop_id = ${shopId} and c.order_id = ${orderId}
		order by c.created_at desc`;
	return rows.map((r) => ({
		id: r.id,
		step: r.step,
		locale: r.locale,
		startedAt: r.created_at,
		updatedAt: r.updated_at,
		handoffRequestedAt: r.handoff_requested_at,
		rma: r.rma,
		photos: r.photos,
		transcript: r.transcript
	}));
}
