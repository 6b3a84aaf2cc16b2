import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { returnLinkFor } from '$lib/server/api/handler';
import { requireRole } from '$lib/server/auth/guard';
import { listOrderConversations } from '$lib/server/conversation/staff';
import { db } from '$lib/server/db';
import { deliveryStatus, getOrderById, listOrderReturns } from '$lib/server/orders/queries';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { shop } = requireRole(locals, ['owner', 'admin', 'staff'], url);
	const order = await getOrderById(db(), shop.id, params.id);
	if (!order) error(404, { message: m.catalogue_order_not_found() });
	const [returns, conversations] = await Promise.all([listOrderReturns(db(), shop.id, order.id), listOrderConversations(db(), shop.id, order.id)]);
	return {
		order,
		deliveryStatus: deliveryStatus(order),
		returns,
		conversations,
		returnLink: returnLinkFor(url.origin, order.id),
		timeZone: shop.timezone
	};
};
