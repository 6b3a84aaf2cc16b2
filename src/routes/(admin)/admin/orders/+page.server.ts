import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { listOrders } from '$lib/server/orders/queries';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const { shop } = requireRole(locals, ['owner', 'admin', 'staff'], url);
	const search = (url.searchParams.get('q') ?? '').trim().slice(0, 200);
	const page = Number(url.searchParams.get('page') ?? 1) || 1;
	const list = await listOrders(db(), shop.id, { search, page, pageSize: 25 });
	return { ...list, search, timeZone: shop.timezone };
};
