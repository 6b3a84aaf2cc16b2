import { openApiDocument } from '$lib/server/api/openapi';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ url }) =>
	new Response(JSON.stringify(openApiDocument(url.origin), null, 2), {
		headers: { 'content-type': 'application/json; charset=utf-8', 'access-control-allow-origin': '*', 'cache-control': 'public, max-age=300' }
	});
