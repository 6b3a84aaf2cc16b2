import { m } from '$lib/paraglide/messages';
import { PolicyRefusal } from '../policy/decide';
import { ReturnError } from '../returns/service';
import { ConversationError, type ReplyInput } from './engine';
import { ConversationNotFound } from './service';

/**
 * The conversation page's forms, read into the engine's replies: one form per answer card, every card a
 * plain HTML form (the page works without JavaScript). Field names: `actionId`; `choice` (the pressed
 * button's value), `size`, `text`; for the item picker a checkbox `item` per line and `quantity:<line id>`;
 * `expectedTotal` (the total the summary showed).
 */
export function replyFromForm(form: FormData): ReplyInput {
	const actionId = String(form.get('actionId') ?? '');
	const field = (name: string) => {
		const value = form.get(name);
		return typeof value === 'string' && value !== '' ? value : undefined;
	};
	if (actionId === 'text') return { text: field('text') ?? '' };
	if (actionId === 'items') {
		const items = form.getAll('item').map((id) => {
			const quantity = field(`quantity:${id}`);
			return { id: String(id), quantity: quantity === undefined ? 1 : Number(quantity) };
		});
		return { actionId, values: { items } };
	}
	const values: Record<string, unknown> = {};
	if (field('choice') !== undefined) values.choice = field('choice');
	if (field('size') !== undefined) values.size = field('size');
	if (field('text') !== undefined) values.text = field('text');
	if (field('expectedTotal') !== undefined) values.expectedTotal = Number(field('expectedTotal'));
	return { actionId, values };
}

/** What the page says when an answer cannot be taken: in the customer's words, or `finished` (show the outcome). */
export function conversationFailure(err: unknown): 'finished' | { status: number; message: string } {
	if (err instanceof ConversationError) {
		if (err.code === 'finished') return 'finished';
		if (err.code === 'unknown_action') return { status: 409, message: m.customer_chat_error_stale() };
		return { status: 422, message: /at least one item/.test(err.message) ? m.customer_chat_error_no_item() : m.customer_chat_error_invalid({ detail: err.message }) };
	}
	if (err instanceof ConversationNotFound) return { status: 404, message: m.customer_chat_error_stale() };
	if (err instanceof PolicyRefusal) {
		return { status: 409, message: err.code === 'quote_mismatch' ? m.customer_chat_error_amount_changed() : m.customer_chat_error_refused({ detail: err.message }) };
	}
	if (err instanceof ReturnError) return { status: 409, message: m.customer_chat_error_refused({ detail: err.message }) };
	throw err;
}
