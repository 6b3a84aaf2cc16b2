import { jsonResponse } from '$lib/server/api/handler';
import { returnLinkRoute } from '$lib/server/api/return-link-route';
import { getConversation } from '$lib/server/conversation/service';
import type { RequestHandler } from './$types';

/** The conversation as it stands: resume it, or see its return once submitted. */
export const GET: RequestHandler = returnLinkRoute(
	async ({ event, sql, shopId, orderId }) => jsonResponse(await getConversation(sql, shopId, event.params.id!, orderId)),
	{ body: false }
);
