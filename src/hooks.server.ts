import type { Handle, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { getTextDirection } from '$lib/paraglide/runtime';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { startApp } from '$lib/server/app';
import { handleGuard, handleSession } from '$lib/server/auth/hooks';
import { readConfig } from '$lib/server/config';
import { db } from '$lib/server/db';
import { setShopLocale } from '$lib/server/i18n';
import { returnLinkLocale } from '$lib/server/orders/customer-view';
import { returnLinkSecret } from '$lib/server/secrets';
import { log } from '$lib/server/log';

export const init: ServerInit = async () => {
	await startApp();
};

const handleLog: Handle = async ({ event, resolve }) => {
	const started = performance.now();
	const response = await resolve(event);
	if (event.url.pathname !== '/healthz') {
		log.info(
			{ method: event.request.method, path: event.url.pathname, status: response.status, ms: Math.round(performance.now() - started) },
			'request'
		);
	}
	return response;
};

/** A return link's pages fall back to its order's language (or its shop's): one query, only for /r/. */
const handleReturnLinkLocale: Handle = async ({ event, resolve }) => {
	const token = /^\/r\/([^/]+)/.exec(event.url.pathname)?.[1];
	if (token) setShopLocale(event.request, await returnLinkLocale(db(), returnLinkSecret(readConfig()), token));
	return resolve(event);
};

/**
 * Locale: the visitor's choice (cookie), then the browser's languages, then the shop's locale. Not for the JSON
 * API: it answers in English, and a conversation speaks its order's language, so no request is cloned for it.
 */
const handleLocale: Handle = ({ event, resolve }) =>
	event.url.pathname.startsWith('/api/')
		? resolve(event)
		: paraglideMiddleware(event.request, ({ request, locale }) => {
				event.request = request;
				return resolve(event, {
					transformPageChunk: ({ html }) =>
						html.replace('%paraglide.lang%', locale).replace('%paraglide.dir%', getTextDirection(locale))
				});
			});

export const handle: Handle = sequence(handleLog, handleSession, handleReturnLinkLocale, handleLocale, handleGuard);
