import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { readReturnPhoto } from '$lib/server/staff/return-view';
import type { RequestHandler } from './$types';

/** A photo of a return (the customer's or the inspection's), for the shop's team only. */
export const GET: RequestHandler = async ({ locals, url, params }) => {
	const { shop } = requireRole(locals, ['owner', 'admin', 'staff'], url);
	const photo = await readReturnPhoto(db(), shop.id, params.id, params.photoId);
	if (!photo) error(404, { message: m.review_photos_none() });
	const extension = photo.contentType.split('/')[1];
	return new Response(Buffer.from(photo.bytes), {
		headers: {
			'content-type': photo.contentType,
			'content-length': String(photo.bytes.length),
			// The type was read from the bytes when stored; the browser must not guess another.
			'x-content-type-options': 'nosniff',
			'content-disposition': `inline; filename="${params.photoId.replace(/[^0-9a-f-]/gi, '')}.${extension}"`,
			'content-security-policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
			'cache-control': 'private, max-age=3600',
			'x-robots-tag': 'noindex'
		}
	});
};
