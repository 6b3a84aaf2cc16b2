import type { Queryable, TransactionSql } from '../db';
import { inTransaction } from '../db/transaction';
import { recordEvent, type Actor } from '../returns/events';
import { transitionReturn } from '../returns/service';
import { MAX_PHOTOS, type ConversationState, type Locale } from './engine';
import { checkPhoto, PhotoError, storePhoto } from './photos';
import {
	checkAnswerText,
	InformationRequestError,
	latestQuestion,
	requestState,
	withExchange,
	type PendingQuestion,
	type RequestEvent
} from './info-request-rules';

export { InformationRequestError, MAX_ANSWER_CHARS, type PendingQuestion } from './info-request-rules';

/**
 * The customer answers a question staff asked about their return (decision `info_requested`), in the
 * conversation they made the return in: the question and the answer join its transcript, the answer is an
 * event of the return, and the return goes back to the team's queue — all in one transaction.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type EventRow = { return_id: string; id: string; type: string; payload: Record<string, unknown>; created_at: Date };
const toEvent = (r: EventRow): RequestEvent => ({ id: String(r.id), type: r.type, payload: r.payload, createdAt: r.created_at });

/** The question waiting for the customer's answer, when the return is info_requested; else null. */
export async function pendingQuestion(sql: Queryable, shopId: string, returnId: string): Promise<PendingQuestion | null> {
	if (!UUID.test(returnId)) return null;
	const [ret] = await sql<{ decision_status: string }[]>`select decision_status from returns where shop_id = ${shopId} and id = ${returnId}`;
	if (ret?.decision_status !== 'info_requested') return null;
	return latestQuestion(await questionEvents(sql, shopId, [returnId]));
}

async function questionEvents(sql: Queryable, shopId: string, returnIds: string[]): Promise<(RequestEvent & { returnId: string })[]> {
	if (returnIds.length === 0) return [];
	const rows = await sql<EventRow[]>`
		select return_id, id::text as id, type, payload, created_at from return_events
		where shop_id = ${shopId} and return_id in ${sql(returnIds)}
			and (type = 'return.information_provided' or (type = 'return.decision_changed' and payload->>'to' = 'info_requested'))
		order by id`;
	return rows.map((r) => ({ ...toEvent(r), returnId: r.return_id }));
}

/** A question of one of the order's returns, as the customer's page shows it. */
export interface InformationRequest {
	returnId: string;
	rma: string;
	/** The conversation the exchange is (or will be) written in; null until answered for a return made by staff or the API. */
	conversationId: string | null;
	question: string;
	askedAt: Date;
	/** null while the question waits; once answered, until the team decides. */
	answer: { text: string; photos: number; at: Date } | null;
}

/** The order's questions waiting for an answer, and those answered that the team has not decided on yet. */
export async function informationRequestsForOrder(sql: Queryable, shopId: string, orderId: string): Promise<InformationRequest[]> {
	const returns = await sql<{ id: string; rma: string; decision_status: string; conversation_id: string | null }[]>`
		select r.id, r.rma, r.decision_status, c.id as conversation_id
		from returns r left join conversations c on c.shop_id = r.shop_id and c.return_id = r.id
		where r.shop_id = ${shopId} and r.order_id = ${orderId} and r.decision_status in ('info_requested', 'needs_review')
		order by r.requested_at desc, r.rma`;
	const events = await questionEvents(sql, shopId, returns.map((r) => r.id));
	return returns.flatMap((r) => {
		const state = requestState(r.decision_status, events.filter((e) => e.returnId === r.id));
		return state ? [{ returnId: r.id, rma: r.rma, conversationId: r.conversation_id, question: state.question, askedAt: state.askedAt, answer: state.answer }] : [];
	});
}

export interface AnswerInput {
	shopId: string;
	/** The order the customer's return link opens: the return must be one of its. */
	orderId: string;
	returnId: string;
	text: string;
	/** The photos' bytes, each checked as a conversation's photos are; at most MAX_PHOTOS per answer. */
	photos?: Uint8Array[];
	/** The language the customer reads now: a conversation created for the answer is in it. */
	locale?: Locale;
}

export interface AnsweredRequest {
	returnId: string;
	conversationId: string;
	question: PendingQuestion;
	text: string;
	photoIds: string[];
}

/**
 * Records the customer's answer to the pending question and hands the return back to the team
 * (`needs_review`). Refused, with nothing written, when the return is not the order's, no question waits,
 * the text is empty or too long, or a photo is not one.
 *
 * A return made by staff or the API has no conversation: one is created for it (finished, linked to the
 * return), so the exchange reads the same on the customer's page and the staff's order page, and the photos
 * have the conversation they are stored under.
 */
export async function answerInformationRequest(sql: Queryable, input: AnswerInput, actor?: Actor): Promise<AnsweredRequest> {
	const text = checkAnswerText(input.text);
	const photos = input.photos ?? [];
	// Every file checked before any is kept: a bad one stores none.
	if (photos.length > MAX_PHOTOS) throw new PhotoError('too_many', `At most ${MAX_PHOTOS} photos per answer`);
	const types = photos.map(checkPhoto);
	if (!UUID.test(input.returnId)) throw notFound();
	return inTransaction(sql, async (tx) => {
		const [ret] = await tx<{ customer_id: string; decision_status: string; locale: Locale }[]>`
			select r.customer_id, r.decision_status, coalesce(r.locale, o.locale, s.locale) as locale
			from returns r join orders o on o.id = r.order_id join shops s on s.id = r.shop_id
			where r.shop_id = ${input.shopId} and r.order_id = ${input.orderId} and r.id = ${input.returnId}
			for update of r`;
		if (!ret) throw notFound();
		const question = ret.decision_status === 'info_requested' ? latestQuestion(await questionEvents(tx, input.shopId, [input.returnId])) : null;
		if (!question) throw new InformationRequestError('not_requested', 'This return is not waiting for an answer from the customer', 'returnId');

		const conversation = await conversationOf(tx, input, input.locale ?? ret.locale);
		const photoIds: string[] = [];
		for (const [i, bytes] of photos.entries()) photoIds.push(await storePhoto(tx, input.shopId, conversation.id, bytes, types[i]));
		const transcript = withExchange(conversation.state.transcript, { question, answer: text, photoIds, locale: conversation.locale });
		await tx`
			update conversations set state = ${tx.json({ ...conversation.state, transcript } as never)}, updated_at = now()
			where id = ${conversation.id}`;

		const by = actor ?? { kind: 'customer', id: ret.customer_id };
		await recordEvent(tx, {
			shopId: input.shopId,
			returnId: input.returnId,
			type: 'return.information_provided',
			actor: by,
			payload: { text, photoIds, question: question.question, questionEventId: question.eventId, conversationId: conversation.id }
		});
		await transitionReturn(tx, { shopId: input.shopId, returnId: input.returnId, machine: 'decision', to: 'needs_review' }, by);
		return { returnId: input.returnId, conversationId: conversation.id, question, text, photoIds };
	});
}

const notFound = () => new InformationRequestError('return_not_found', 'This return does not exist', 'returnId');

type ConversationRow = { id: string; locale: Locale; state: ConversationState };

/** The return's conversation, locked; created (finished, with an empty transcript) for a return made without one. */
async function conversationOf(tx: TransactionSql, input: AnswerInput, locale: Locale): Promise<ConversationRow> {
	const [found] = await tx<ConversationRow[]>`
		select id, locale, state from conversations where shop_id = ${input.shopId} and return_id = ${input.returnId} for update`;
	if (found) return found;
	const lines = await tx<{ order_line_id: string; quantity: number; reason_code: string }[]>`
		select order_line_id, quantity, reason_code from return_lines where return_id = ${input.returnId} order by created_at, id`;
	const [r] = await tx<{ return_method: ConversationState['method']; resolution: ConversationState['resolution'] }[]>`
		select return_method, quote->>'resolution' as resolution from returns where id = ${input.returnId}`;
	// What the return is, in the engine's terms, so every reader of conversations reads this one as a finished one.
	const state: ConversationState & { origin: 'information_request' } = {
		step: 'submitted',
		items: lines.map((l) => ({ lineId: l.order_line_id, quantity: l.quantity })),
		reason: lines[0]?.reason_code ?? null,
		suggestedReasons: null,
		resolution: r.resolution,
		method: r.return_method,
		interactions: 0,
		offersShownAt: null,
		transcript: [],
		origin: 'information_request'
	};
	const [created] = await tx<ConversationRow[]>`
		insert into conversations (shop_id, order_id, locale, step, state, return_id)
		values (${input.shopId}, ${input.orderId}, ${locale}, ${state.step}, ${tx.json(state as never)}, ${input.returnId})
		returning id, locale, state`;
	return created;
}

