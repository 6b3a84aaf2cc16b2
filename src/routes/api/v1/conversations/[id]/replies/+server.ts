import * as z from 'zod';
import { jsonResponse } from '$lib/server/api/handler';
import { parseOrThrow } from '$lib/server/api/errors';
import { returnLinkRoute } from '$lib/server/api/return-link-route';
import { replyToConversation } from '$lib/server/conversation/service';
import type { RequestHandler } from './$types';

const replySchema = z.union([
	z.strictObject({ actionId: z.string().min(1).max(100), values: z.record(z.string(), z.unknown()).optional() }),
	z.strictObject({ text: z.string().trim().min(1).max(2000) })
]);

/** One answer: `{ "actionId", "values"? }` for an action on offer, or `{ "text" }` in the customer's own words. */
export const POST: RequestHandler = returnLinkRoute(async ({ event, sql, shopId, orderId }, body) => {
	const reply = parseOrThrow(replySchema, body);
	return jsonResponse(await replyToConversation(sql, { shopId, orderId, conversationId: event.params.id!, reply }));
});
