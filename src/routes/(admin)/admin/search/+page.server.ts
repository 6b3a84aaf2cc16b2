import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { SEARCH_LIMIT, searchEverything } from '$lib/server/staff/search';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const { shop } = requireRole(locals, ['owner', 'admin', 'staff'], url);
	const results = await searchEverything(db(), shop.id, url.searchParams.get('q') ?? '');
	return { ...results, limit: SEARCH_LIMIT, timeZone: shop.timezone };
};
