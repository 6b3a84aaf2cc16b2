import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { readLabelPdf } from '$lib/server/labels/service';
import { getOrderById } from '$lib/server/orders/queries';
import type { RequestHandler } from './$types';

/** A return label's PDF for staff (to print or send again), for a return of an order of their shop. */
export const GET: RequestHandler = async ({ locals, url, params }) => {
	const { shop } = requireRole(locals, ['owner', 'admin', 'staff'], url);
	const order = await getOrderById(db(), shop.id, params.id);
	if (!order) error(404, { message: m.catalogue_order_not_found() });
	const pdf = await readLabelPdf(db(), order.id, params.rma);
	if (!pdf) error(404, { message: m.admin_fulfilment_label_missing() });
	return new Response(Buffer.from(pdf), {
		headers: {
			'content-type': 'application/pdf',
			'content-disposition': `attachment; filename="${params.rma.replace(/[^A-Za-z0-9-]/g, '')}.pdf"`,
			'cache-control': 'private, no-store',
			'x-robots-tag': 'noindex'
		}
	});
};
