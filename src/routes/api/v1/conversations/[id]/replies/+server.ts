import { jsonResponse } from '$lib/server/api/handler';
import { parseOrThrow } from '$lib/server/api/errors';
import { returnLinkRoute } from '$lib/server/api/return-link-route';
import { conversationReply } from '$lib/server/conversation/api-schema';
import { replyToConversation } from '$lib/server/conversation/service';
import type { RequestHandler } from './$types';

/** One answer: `{ "actionId", "values"? }` for an action on offer, or `{ "text" }` in the customer's own words. */
export const POST: RequestHandler = returnLinkRoute(async ({ event, sql, shopId, orderId }, body) => {
	const reply = parseOrThrow(conversationReply, body);
	return jsonResponse(await replyToConversation(sql, { shopId, orderId, conversationId: event.params.id!, reply }));
});
