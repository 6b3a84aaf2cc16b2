import type { RequestEvent, RequestHandler } from '@sveltejs/kit';
import { readConfig } from '../config';
import { ConversationNotFound } from '../conversation/service';
import { ConversationError } from '../conversation/engine';
import { db, type Sql } from '../db';
import { log } from '../log';
import { authorizeReturnLink } from '../orders/customer-view';
import { PolicyRefusal } from '../policy/decide';
import { ReturnError } from '../returns/service';
import { returnLinkSecret } from '../secrets';
import { BodyError, readJson } from './handler';
import { errorResponse, invalidJson, responseForError } from './errors';

/**
 * The customer's side of the JSON API (conversations): the return link's token as
 * `Authorization: Bearer <token>` opens one order, as the link does in a browser; a tampered, unknown or
 * expired token is answered alike.
 */
export interface ReturnLinkContext {
	event: RequestEvent;
	sql: Sql;
	shopId: string;
	orderId: string;
	locale: 'en' | 'fr';
}

let cached: { key: string; value: string } | undefined;
function secret(): string {
	const config = readConfig();
	const key = `${config.dataDir}\u0000${config.returnLinkSecret ?? ''}`;
	if (cached?.key !== key) cached = { key, value: returnLinkSecret(config) };
	return cached.value;
}

const refused = () =>
	errorResponse(401, 'unauthorized', 'Send the return link’s token as "Authorization: Bearer <token>" (the last part of /r/<token>).', undefined, {
		'www-authenticate': 'Bearer realm="retour-return-link"'
	});

export function returnLinkRoute(handler: (ctx: ReturnLinkContext, body: unknown) => Promise<Response>, options: { body?: boolean } = {}): RequestHandler {
	return async (event) => {
		try {
			const match = /^Bearer\s+(\S+)\s*$/i.exec(event.request.headers.get('authorization') ?? '');
			if (!match) return refused();
			const sql = db();
			const order = await authorizeReturnLink(sql, secret(), match[1]);
			if (!order) return refused();
			let body: unknown = undefined;
			if (options.body !== false) {
				try {
					body = await readJson(event);
				} catch (error) {
					if (error instanceof BodyError) return invalidJson(error.message);
					throw error;
				}
			}
			return await handler({ event, sql, shopId: order.shopId, orderId: order.id, locale: order.locale }, body);
		} catch (error) {
			if (error instanceof ConversationError) {
				return error.code === 'finished'
					? errorResponse(409, 'conflict', 'This conversation is finished: open the return link to see its return.')
					: errorResponse(422, 'validation_failed', error.message, [{ path: error.code === 'unknown_action' ? 'actionId' : 'values', message: error.message }]);
			}
			if (error instanceof ConversationNotFound) return errorResponse(404, 'not_found', error.message);
			if (error instanceof PolicyRefusal || error instanceof ReturnError) {
				return errorResponse(409, 'conflict', error.message, error.field ? [{ path: error.field, message: error.message }] : undefined);
			}
			try {
				return responseForError(error);
			} catch {
				log.error({ err: error, path: event.url.pathname, method: event.request.method }, 'conversation API request failed');
				return errorResponse(500, 'internal_error', 'Something went wrong on our side. Nothing was changed; try again.');
			}
		}
	};
}
