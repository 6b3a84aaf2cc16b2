import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { readInspectionPhoto } from '$lib/server/inspection/service';
import type { RequestHandler } from './$types';

/** An inspection photo, for staff of the shop it was taken for. Its type was read from its bytes when stored. */
export const GET: RequestHandler = async ({ locals, url, params }) => {
	const { shop } = requireRole(locals, ['owner', 'admin', 'staff'], url);
	const photo = await readInspectionPhoto(db(), shop.id, params.id);
	if (!photo) error(404, { message: m.warehouse_photo_not_found() });
	return new Response(Buffer.from(photo.bytes), {
		headers: {
			'content-type': photo.contentType,
			'content-disposition': 'inline',
			'cache-control': 'private, no-store',
			'x-content-type-options': 'nosniff',
			'content-security-policy': "default-src 'none'; sandbox",
			'x-robots-tag': 'noindex'
		}
	});
};
