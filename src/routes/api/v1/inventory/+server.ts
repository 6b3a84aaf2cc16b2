import { apiJsonRoute, jsonResponse } from '$lib/server/api/handler';
import { setInventory, type InventoryInput } from '$lib/server/catalogue/products';
import type { RequestHandler } from './$types';

export const PUT: RequestHandler = apiJsonRoute(async ({ sql, shopId }, body) =>
	jsonResponse(await setInventory(sql, shopId, body as InventoryInput))
);
