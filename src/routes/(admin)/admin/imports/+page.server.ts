import { fail, type RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { listImports, runImport, type ImportKind } from '$lib/server/imports/service';
import type { Actions, PageServerLoad } from './$types';

const ROLES = ['owner', 'admin'] as const;
const MAX_MB = 10;
/** The problems shown on the page after an upload; the run keeps more. */
const SHOW_ERRORS = 200;

export const load: PageServerLoad = async ({ locals, url }) => {
	const { shop } = requireRole(locals, ROLES, url);
	return { runs: await listImports(db(), shop.id), timeZone: shop.timezone };
};

async function upload(event: RequestEvent, kind: ImportKind) {
	const { user, shop } = requireRole(event.locals, ROLES, event.url);
	const file = (await event.request.formData()).get('file');
	if (!(file instanceof File) || file.size === 0 || !file.name) return fail(400, { kind, error: m.catalogue_imports_no_file() });
	if (file.size > MAX_MB * 1024 * 1024) return fail(413, { kind, error: m.catalogue_imports_too_large({ max: MAX_MB }) });
	const content = decode(new Uint8Array(await file.arrayBuffer()));
	if (content === null) return fail(400, { kind, error: m.catalogue_imports_not_text() });
	const result = await runImport(db(), { shopId: shop.id, timeZone: shop.timezone, userId: user.id, kind, filename: file.name.slice(0, 255), content });
	const summary = {
		status: result.status,
		filename: result.filename,
		rowsImported: result.rowsImported,
		rowsSkipped: result.rowsSkipped,
		created: result.created,
		updated: result.updated,
		errorCount: result.errors.length,
		errors: result.errors.slice(0, SHOW_ERRORS)
	};
	return result.status === 'failed' ? fail(422, { kind, result: summary }) : { kind, result: summary };
}

/** UTF-8 (with or without BOM); spreadsheet exports in Windows-1252 are read too. Null for binary files. */
function decode(bytes: Uint8Array): string | null {
	if (bytes.includes(0)) return null;
	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		return new TextDecoder('windows-1252').decode(bytes);
	}
}

export const actions: Actions = {
	orders: (event) => upload(event, 'orders'),
	returns: (event) => upload(event, 'returns')
};
