import type { Locale, Message } from './engine';

/**
 * The decisions of answering a staff question, pure: what counts as an answer, which question is the one
 * waiting, what the customer's page shows of it, and how the exchange enters the conversation's transcript.
 */

export const MAX_ANSWER_CHARS = 4000;

export class InformationRequestError extends Error {
	constructor(
		readonly code: 'return_not_found' | 'not_requested' | 'text_empty' | 'text_too_long',
		message: string,
		readonly field: 'returnId' | 'text'
	) {
		super(message);
		this.name = 'InformationRequestError';
	}
}

/** The answer as kept: trimmed, line endings as typed on any system, 1 to 4000 characters (as a textarea counts them). */
export function checkAnswerText(text: string): string {
	const answer = text.replace(/\r\n?/g, '\n').trim();
	if (!answer) throw new InformationRequestError('text_empty', 'Write an answer', 'text');
	if (answer.length > MAX_ANSWER_CHARS) {
		throw new InformationRequestError('text_too_long', `The answer is ${answer.length} characters long; the limit is ${MAX_ANSWER_CHARS}`, 'text');
	}
	return answer;
}

/** A return event as these decisions read it (the id is PostgreSQL's bigint, as text). */
export interface RequestEvent {
	id: string;
	type: string;
	payload: Record<string, unknown>;
	createdAt: Date;
}

export interface PendingQuestion {
	/** The `return.decision_changed` event that asked it: answers and transcript messages point to it. */
	eventId: string;
	question: string;
	askedAt: Date;
}

const asked = (e: RequestEvent) => e.type === 'return.decision_changed' && e.payload.to === 'info_requested';

/** The latest question staff asked (the reason of the latest move to info_requested), from events in any order. */
export function latestQuestion(events: readonly RequestEvent[]): PendingQuestion | null {
	const last = events.filter(asked).sort(byId).at(-1);
	if (!last) return null;
	return { eventId: last.id, question: typeof last.payload.reason === 'string' ? last.payload.reason : '', askedAt: last.createdAt };
}

/** What the customer's page shows of a return's question: waiting for an answer, answered (the team is looking), or nothing. */
export type RequestState =
	| (PendingQuestion & { answer: null })
	| (PendingQuestion & { answer: { text: string; photos: number; at: Date } })
	| null;

export function requestState(decision: string, events: readonly RequestEvent[]): RequestState {
	const question = latestQuestion(events);
	if (!question) return null;
	if (decision === 'info_requested') return { ...question, answer: null };
	// Answered and back in the team's queue: the customer is told their answer arrived, until the team decides.
	if (decision !== 'needs_review') return null;
	const answer = events
		.filter((e) => e.type === 'return.information_provided' && e.payload.questionEventId === question.eventId)
		.sort(byId)
		.at(-1);
	if (!answer) return null;
	const photoIds = Array.isArray(answer.payload.photoIds) ? answer.payload.photoIds : [];
	return { ...question, answer: { text: String(answer.payload.text ?? ''), photos: photoIds.length, at: answer.createdAt } };
}

/** A transcript message of a question and its answer: `questionEventId` says which question it belongs to. */
export interface ExchangeMessage extends Message {
	questionEventId: string;
	photoIds?: string[];
}

const PHOTOS = {
	en: (n: number) => (n === 1 ? '(1 photo attached)' : `(${n} photos attached)`),
	fr: (n: number) => (n === 1 ? '(1 photo jointe)' : `(${n} photos jointes)`)
};

/**
 * The transcript with the exchange at its end: the staff's question as the shop's message (unless it is
 * already there), then the customer's answer, with the number of photos in the conversation's language.
 */
export function withExchange(
	transcript: readonly Message[],
	exchange: { question: PendingQuestion; answer: string; photoIds: string[]; locale: Locale }
): Message[] {
	const id = exchange.question.eventId;
	const present = transcript.some((m) => m.role === 'assistant' && (m as Partial<ExchangeMessage>).questionEventId === id);
	const question: ExchangeMessage = { role: 'assistant', text: exchange.question.question, questionEventId: id };
	const text = exchange.photoIds.length ? `${exchange.answer}\n${PHOTOS[exchange.locale](exchange.photoIds.length)}` : exchange.answer;
	const answer: ExchangeMessage = { role: 'customer', text, questionEventId: id, ...(exchange.photoIds.length ? { photoIds: exchange.photoIds } : {}) };
	return [...transcript, ...(present ? [] : [question]), answer];
}

function byId(a: RequestEvent, b: RequestEvent): number {
	const d = BigInt(a.id) - BigInt(b.id);
	return d < 0n ? -1 : d > 0n ? 1 : 0;
}
