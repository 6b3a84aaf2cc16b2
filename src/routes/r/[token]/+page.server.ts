import { error, fail, redirect } from '@sveltejs/kit';
import { readConfig } from '$lib/server/config';
import { db } from '$lib/server/db';
import { conversationForPage, replyOnOrder } from '$lib/server/conversation/service';
import { replyFromForm, conversationFailure } from '$lib/server/conversation/form';
import { checkPhoto, PhotoError, savePhoto } from '$lib/server/conversation/photos';
import { answerInformationRequest, informationRequestsForOrder } from '$lib/server/conversation/info-request';
import { MAX_PHOTOS } from '$lib/server/conversation/engine';
import { openReturnLink } from '$lib/server/orders/customer-view';
import { qrSvg } from '$lib/server/labels/qr';
import { returnLinkSecret } from '$lib/server/secrets';
import { cancelReturnForCustomer } from '$lib/server/returns/customer';
import { ReturnError } from '$lib/server/returns/service';
import { getLocale } from '$lib/paraglide/runtime';
import { m } from '$lib/paraglide/messages';
import { answerFailure, photoErrorMessage, readAnswerForm } from './answer-form';
import type { Actions, PageServerLoad } from './$types';

async function orderOf(token: string) {
	const order = await openReturnLink(db(), returnLinkSecret(readConfig()), token);
	// Tampered, unknown or expired: one answer that says nothing about the order or the shop.
	if (!order) error(404, { message: 'This link is not valid' });
	return order;
}

export const load: PageServerLoad = async ({ params, setHeaders, url }) => {
	// Before anything can fail: the token must not leak through Referer, caches or search engines.
	// same-origin, not no-referrer: the token never leaves the site, and the browser still sends the Origin
	// header that SvelteKit's CSRF check needs for this page's forms.
	setHeaders({ 'referrer-policy': 'same-origin', 'x-robots-tag': 'noindex', 'cache-control': 'private, no-store' });
	const order = await orderOf(params.token);
	const [conversation, infoRequests] = await Promise.all([
		conversationForPage(db(), { shopId: order.shopId, orderId: order.id, locale: getLocale(), fresh: url.searchParams.has('new') }),
		// The team's questions waiting for the customer's answer (and those answered, until the team decides).
		informationRequestsForOrder(db(), order.shopId, order.id)
	]);
	// A drop-off code shows on the phone: the customer needs no printer.
	const dropOffCodes = Object.fromEntries(
		order.returns.filter((r) => r.returnMethod === 'drop_off' && r.label?.status === 'created' && r.canCancel).map((r) => [r.rma, qrSvg(r.rma)])
	);
	return { order, conversation, infoRequests, dropOffCodes, token: params.token };
};

/** After an answer: the page again (no resubmission on reload), at the newest message. */
const again = (token: string) => redirect(303, `/r/${token}#latest`);

export const actions: Actions = {
	reply: async ({ params, request }) => {
		const order = await orderOf(params.token);
		const form = await request.formData();
		try {
			const reply = replyFromForm(form);
			await replyOnOrder(db(), { shopId: order.shopId, orderId: order.id, locale: getLocale(), conversationId: String(form.get('conversationId') ?? '') || null, reply });
		} catch (err) {
			const failure = conversationFailure(err);
			if (failure === 'finished') return again(params.token);
			return fail(failure.status, { error: failure.message, actionId: String(form.get('actionId') ?? '') });
		}
		again(params.token);
	},

	/** The customer cancels a return until its parcel ships. */
	cancelReturn: async ({ params, request }) => {
		const order = await orderOf(params.token);
		const returnId = String((await request.formData()).get('returnId') ?? '');
		try {
			await cancelReturnForCustomer(db(), { shopId: order.shopId, orderId: order.id, returnId });
		} catch (err) {
			if (err instanceof ReturnError) return fail(409, { cancelError: m.customer_return_cancel_error({ detail: err.message }), returnId });
			throw err;
		}
		again(params.token);
	},

	/** Photos from the photo card: stored, then sent as the answer, in one press. */
	photos: async ({ params, request }) => {
		const order = await orderOf(params.token);
		const form = await request.formData();
		const conversationId = String(form.get('conversationId') ?? '');
		const files = form.getAll('photos').filter((f): f is File => f instanceof File && f.size > 0);
		if (!conversationId) return fail(400, { error: m.customer_chat_error_stale(), actionId: 'photos' });
		if (files.length === 0) return fail(400, { error: m.customer_chat_photos_none(), actionId: 'photos' });
		try {
			// Every file checked before any is kept: a bad one stores none.
			const photos = await Promise.all(files.map(async (f) => new Uint8Array(await f.arrayBuffer())));
			if (photos.length > MAX_PHOTOS) throw new PhotoError('too_many', `At most ${MAX_PHOTOS} photos`);
			photos.forEach(checkPhoto);
			const photoIds: string[] = [];
			for (const bytes of photos) {
				const saved = await savePhoto(db(), { shopId: order.shopId, orderId: order.id, conversationId, bytes });
				photoIds.push(saved.id);
			}
			await replyOnOrder(db(), { shopId: order.shopId, orderId: order.id, locale: getLocale(), conversationId, reply: { actionId: 'photos', values: { photoIds } } });
		} catch (err) {
			if (err instanceof PhotoError) return fail(err.code === 'too_large' ? 413 : 422, { error: photoErrorMessage(err), actionId: 'photos' });
			const failure = conversationFailure(err);
			if (failure === 'finished') return again(params.token);
			return fail(failure.status, { error: failure.message, actionId: 'photos' });
		}
		again(params.token);
	},

	/** The customer's answer to the team's question about a return, with photos if they help. */
	answer: async ({ params, request }) => {
		const order = await orderOf(params.token);
		const input = await readAnswerForm(await request.formData());
		try {
			await answerInformationRequest(db(), { shopId: order.shopId, orderId: order.id, locale: getLocale(), ...input });
		} catch (err) {
			const failure = answerFailure(err, input.text);
			if (failure === 'closed') return again(params.token);
			return fail(failure.status, { answer: { returnId: input.returnId, text: input.text, field: failure.field, error: failure.message } });
		}
		redirect(303, `/r/${params.token}#info-${input.returnId}`);
	}
};
