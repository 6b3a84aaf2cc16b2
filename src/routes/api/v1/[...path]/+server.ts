import { notFound } from '$lib/server/api/errors';
import type { RequestHandler } from './$types';

/** Unknown API paths answer in JSON like the rest of the API. */
const fallback: RequestHandler = ({ url }) =>
	notFound(`There is no endpoint ${url.pathname}. The API is described at /api/v1/openapi.json.`);

export const GET = fallback;
export const POST = fallback;
export const PUT = fallback;
export const PATCH = fallback;
export const DELETE = fallback;
