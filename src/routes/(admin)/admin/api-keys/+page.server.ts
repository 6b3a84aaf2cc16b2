import { fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { ValidationError } from '$lib/server/api/errors';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { createApiKey, listApiKeys, revokeApiKey } from '$lib/server/shops/api-keys';
import type { Actions, PageServerLoad } from './$types';

const ROLES = ['owner', 'admin'] as const;

export const load: PageServerLoad = async ({ locals, url }) => {
	const { shop } = requireRole(locals, ROLES, url);
	const keys = await listApiKeys(db(), shop.id);
	// ?revoke=<id> asks for confirmation first, without JavaScript.
	const confirmId = url.searchParams.get('revoke');
	const confirming = keys.find((k) => k.id === confirmId && !k.revokedAt) ?? null;
	return { keys, confirming: confirming && { id: confirming.id, name: confirming.name }, timeZone: shop.timezone };
};

export const actions: Actions = {
	create: async ({ locals, url, request }) => {
		const { user, shop } = requireRole(locals, ROLES, url);
		const name = String((await request.formData()).get('name') ?? '').trim();
		try {
			const { key, prefix } = await createApiKey(db(), shop.id, name, user.id);
			return { action: 'create' as const, created: { name, key, prefix } };
		} catch (error) {
			if (!(error instanceof ValidationError)) throw error;
			return fail(400, { action: 'create' as const, name, error: m.catalogue_api_keys_name_invalid() });
		}
	},

	revoke: async ({ locals, url, request }) => {
		const { user, shop } = requireRole(locals, ROLES, url);
		const form = await request.formData();
		const id = String(form.get('id') ?? '');
		const name = String(form.get('name') ?? '');
		if (!(await revokeApiKey(db(), shop.id, id, user.id))) return fail(404, { action: 'revoke' as const, error: m.catalogue_api_keys_gone() });
		return { action: 'revoke' as const, revoked: m.catalogue_api_keys_revoked({ name }) };
	}
};
