import { notFound } from '$lib/server/api/errors';
import { apiJsonRoute, apiRoute, jsonResponse } from '$lib/server/api/handler';
import { getProduct, upsertProduct, type ProductInput } from '$lib/server/catalogue/products';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = apiRoute(async ({ event, sql, shopId }) => {
	const product = await getProduct(sql, shopId, event.params.externalId!);
	return product ? jsonResponse(product) : notFound(`This shop has no product with externalId "${event.params.externalId}".`);
});

export const PUT: RequestHandler = apiJsonRoute(async ({ event, sql, shopId }, body) => {
	const { product, created } = await upsertProduct(sql, shopId, event.params.externalId!, body as ProductInput);
	return jsonResponse(product, created ? 201 : 200);
});
