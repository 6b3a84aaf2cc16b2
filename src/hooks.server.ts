import type { Handle, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { getTextDirection } from '$lib/paraglide/runtime';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { startApp } from '$lib/server/app';
import '$lib/server/i18n';
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

/** Locale: the visitor's choice (cookie), then the browser's languages, then the shop's locale. */
const handleLocale: Handle = ({ event, resolve }) =>
	paraglideMiddleware(event.request, ({ request, locale }) => {
		event.request = request;
		return resolve(event, {
			transformPageChunk: ({ html }) =>
				html.replace('%paraglide.lang%', locale).replace('%paraglide.dir%', getTextDirection(locale))
		});
	});

export const handle: Handle = sequence(handleLog, handleLocale);
