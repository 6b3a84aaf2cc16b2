import { apiJsonRoute, jsonResponse, returnLinkFor } from '$lib/server/api/handler';
import { ingestOrder, type OrderInput } from '$lib/server/orders/intake';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = apiJsonRoute(async ({ event, sql, shopId }, body) => {
	const { order, created } = await ingestOrder(sql, shopId, body as OrderInput, { source: 'api' });
	return jsonResponse({ order, returnLink: returnLinkFor(event.url.origin, order.id) }, created ? 201 : 200);
});
