import { error } from '@sveltejs/kit';
import { readConfig } from '$lib/server/config';
import { db } from '$lib/server/db';
import { readLabelPdf } from '$lib/server/labels/service';
import { openReturnLink } from '$lib/server/orders/customer-view';
import { returnLinkSecret } from '$lib/server/secrets';
import type { RequestHandler } from './$types';

/** The return label's PDF, for the customer holding the order's link. */
export const GET: RequestHandler = async ({ params }) => {
	const order = await openReturnLink(db(), returnLinkSecret(readConfig()), params.token);
	if (!order) error(404, { message: 'This link is not valid' });
	const pdf = await readLabelPdf(db(), order.id, params.rma);
	if (!pdf) error(404, { message: 'This return has no label yet' });
	return new Response(Buffer.from(pdf), {
		headers: {
			'content-type': 'application/pdf',
			'content-disposition': `inline; filename="${params.rma}.pdf"`,
			'cache-control': 'private, no-store',
			'referrer-policy': 'same-origin',
			'x-robots-tag': 'noindex'
		}
	});
};
