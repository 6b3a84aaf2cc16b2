import { notFound } from '$lib/server/api/errors';
import { apiRoute, jsonResponse, returnLinkFor } from '$lib/server/api/handler';
import { getOrderByExternalId } from '$lib/server/orders/queries';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = apiRoute(async ({ event, sql, shopId }) => {
	const order = await getOrderByExternalId(sql, shopId, event.params.externalId!);
	if (!order) return notFound(`This shop has no order with externalId "${event.params.externalId}".`);
	return jsonResponse({ order, returnLink: returnLinkFor(event.url.origin, order.id) });
});
