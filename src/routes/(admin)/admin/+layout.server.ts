import { requireRole } from '$lib/server/auth/guard';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals, url }) => {
	const { user, shop, role } = requireRole(locals, ['owner', 'admin', 'staff'], url);
	return { user, shop: { id: shop.id, name: shop.name, currency: shop.currency, locale: shop.locale }, role };
};
