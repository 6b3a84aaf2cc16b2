import { errorResponse } from '$lib/server/api/errors';
import { jsonResponse } from '$lib/server/api/handler';
import { returnLinkRoute } from '$lib/server/api/return-link-route';
import { PhotoError, savePhoto } from '$lib/server/conversation/photos';
import type { RequestHandler } from './$types';

/**
 * One photo for the conversation, as multipart/form-data with a file in the field `photo`: checked by its
 * content (JPEG, PNG, WebP, HEIC), at most 10 MB, stored in the database → 201 `{ id, contentType, byteSize }`.
 * Then answer the photo action with `{ "photoIds": [id, …] }`.
 */
export const POST: RequestHandler = returnLinkRoute(
	async ({ event, sql, shopId, orderId }) => {
		let form: FormData;
		try {
			form = await event.request.formData();
		} catch {
			return errorResponse(400, 'validation_failed', 'Send the photo as multipart/form-data, in a field named "photo"', [{ path: 'photo', message: 'missing' }]);
		}
		const file = form.get('photo');
		if (!(file instanceof File)) {
			return errorResponse(422, 'validation_failed', 'The field "photo" must be a file', [{ path: 'photo', message: 'must be a file' }]);
		}
		try {
			const saved = await savePhoto(sql, { shopId, orderId, conversationId: event.params.id!, bytes: new Uint8Array(await file.arrayBuffer()) });
			return jsonResponse(saved, 201);
		} catch (error) {
			if (!(error instanceof PhotoError)) throw error;
			if (error.code === 'not_found') return errorResponse(404, 'not_found', error.message);
			if (error.code === 'too_large') return errorResponse(413, 'payload_too_large', error.message, [{ path: 'photo', message: error.message }]);
			if (error.code === 'finished' || error.code === 'too_many') return errorResponse(409, 'conflict', error.message);
			return errorResponse(422, 'validation_failed', error.message, [{ path: 'photo', message: error.message }]);
		}
	},
	{ body: false }
);
