import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { importTemplate } from '$lib/server/imports/templates';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ locals, url, params }) => {
	requireRole(locals, ['owner', 'admin'], url);
	if (params.kind !== 'orders' && params.kind !== 'returns') error(404, { message: 'Not found' });
	const { filename, content } = importTemplate(params.kind);
	return new Response(content, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${filename}"`,
			'cache-control': 'no-store'
		}
	});
};
