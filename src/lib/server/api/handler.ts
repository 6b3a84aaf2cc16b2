import type { RequestEvent, RequestHandler } from '@sveltejs/kit';
import { readConfig } from '../config';
import { db, type Sql } from '../db';
import { log } from '../log';
import { signReturnToken } from '../orders/return-links';
import { returnLinkSecret } from '../secrets';
import { authenticateApiKey } from '../shops/api-keys';
import { errorResponse, invalidJson, responseForError, unauthorized } from './errors';

/**
 * The shape every JSON API route shares: a shop API key in `Authorization: Bearer …`, domain errors
 * mapped to their JSON error bodies, anything unexpected logged and answered 500 without details.
 */
export interface ApiContext {
	event: RequestEvent;
	sql: Sql;
	shopId: string;
	keyId: string;
}

export function apiRoute(handler: (ctx: ApiContext) => Promise<Response>): RequestHandler {
	return async (event) => {
		try {
			const header = event.request.headers.get('authorization') ?? '';
			const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
			if (!match) return unauthorized(header ? 'The Authorization header must be "Bearer <shop API key>".' : undefined);
			const sql = db();
			const auth = await authenticateApiKey(sql, match[1]);
			if (!auth) return unauthorized('This API key is unknown or has been revoked.');
			return await handler({ event, sql, shopId: auth.shopId, keyId: auth.keyId });
		} catch (error) {
			try {
				return responseForError(error);
			} catch {
				log.error({ err: error, path: event.url.pathname, method: event.request.method }, 'API request failed');
				return errorResponse(500, 'internal_error', 'Something went wrong on our side. The request was not applied; try again.');
			}
		}
	};
}

/** The request body as JSON; a BodyError (answered 400) when it is empty or not JSON. */
export async function readJson(event: RequestEvent): Promise<unknown> {
	const text = await event.request.text();
	if (!text.trim()) throw new BodyError('The request body is empty: send a JSON object.');
	try {
		return JSON.parse(text);
	} catch (error) {
		throw new BodyError(`The request body is not valid JSON: ${(error as Error).message}`);
	}
}

export class BodyError extends Error {}

/** Like apiRoute, with the parsed JSON body; malformed JSON is answered 400 `invalid_json`. */
export function apiJsonRoute(handler: (ctx: ApiContext, body: unknown) => Promise<Response>): RequestHandler {
	return apiRoute(async (ctx) => {
		let body: unknown;
		try {
			body = await readJson(ctx.event);
		} catch (error) {
			if (error instanceof BodyError) return invalidJson(error.message);
			throw error;
		}
		return handler(ctx, body);
	});
}

export function jsonResponse(data: unknown, status = 200): Response {
	return new Response(JSON.stringify(data), {
		status,
		headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }
	});
}

let secret: { dataDir: string; returnLinkSecret: string | undefined; value: string } | undefined;

/** `<origin>/r/<token>` for an order, signed with the installation's secret (read once per process). */
export function returnLinkFor(origin: string, orderId: string): string {
	const config = readConfig();
	if (!secret || secret.dataDir !== config.dataDir || secret.returnLinkSecret !== config.returnLinkSecret) {
		secret = { dataDir: config.dataDir, returnLinkSecret: config.returnLinkSecret, value: returnLinkSecret(config) };
	}
	return `${origin.replace(/\/+$/, '')}/r/${signReturnToken(secret.value, orderId)}`;
}
