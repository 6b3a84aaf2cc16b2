import { m } from '$lib/paraglide/messages';
import { InformationRequestError } from '$lib/server/conversation/info-request';
import { PhotoError } from '$lib/server/conversation/photos';

/**
 * The answer form of a staff question (fields `returnId`, `text`, `photos`), and what it says when an answer
 * cannot be taken: in the customer's words, beside the field concerned.
 */

export async function readAnswerForm(form: FormData): Promise<{ returnId: string; text: string; photos: Uint8Array[] }> {
	const files = form.getAll('photos').filter((f): f is File => f instanceof File && f.size > 0);
	return {
		returnId: String(form.get('returnId') ?? ''),
		text: String(form.get('text') ?? ''),
		photos: await Promise.all(files.map(async (f) => new Uint8Array(await f.arrayBuffer())))
	};
}

/** What is wrong with a photo, as the conversation's photo card says it too. */
export function photoErrorMessage(err: PhotoError): string {
	return {
		empty: m.customer_chat_photos_none,
		too_large: m.customer_chat_photos_too_large,
		unsupported_type: m.customer_chat_photos_type,
		too_many: m.customer_chat_photos_too_many,
		finished: m.customer_chat_error_stale,
		not_found: m.customer_chat_error_stale
	}[err.code]();
}

export type AnswerFailure = { status: number; field: 'text' | 'photos' | 'form'; message: string };

/** `closed` when no question waits any more (answered in another tab, or the team decided): the page shows where the return stands. */
export function answerFailure(err: unknown, text: string): 'closed' | AnswerFailure {
	if (err instanceof InformationRequestError) {
		if (err.code === 'not_requested') return 'closed';
		if (err.code === 'text_empty') return { status: 422, field: 'text', message: m.customer_info_error_empty() };
		if (err.code === 'text_too_long') return { status: 422, field: 'text', message: m.customer_info_error_too_long({ count: text.replace(/\r\n?/g, '\n').trim().length }) };
		return { status: 404, field: 'form', message: m.customer_info_error_stale() };
	}
	if (err instanceof PhotoError) {
		const message = err.code === 'too_many' ? m.customer_info_photos_too_many() : photoErrorMessage(err);
		return { status: err.code === 'too_large' ? 413 : 422, field: 'photos', message };
	}
	throw err;
}
