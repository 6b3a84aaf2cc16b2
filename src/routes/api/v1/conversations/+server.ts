import { jsonResponse } from '$lib/server/api/handler';
import { returnLinkRoute } from '$lib/server/api/return-link-route';
import { openConversation } from '$lib/server/conversation/service';
import type { RequestHandler } from './$types';

/** The order's open conversation (200), or a new one (201). */
export const POST: RequestHandler = returnLinkRoute(
	async ({ sql, shopId, orderId, locale }) => {
		const { created, conversation } = await openConversation(sql, { shopId, orderId, locale });
		return jsonResponse(conversation, created ? 201 : 200);
	},
	{ body: false }
);
