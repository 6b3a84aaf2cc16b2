import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { listSelectableReasons } from '$lib/server/shops/service';
import { listActivations, listPolicyVersions } from '$lib/server/policy/versions';
import type { PageServerLoad } from './$types';

const ROLES = ['owner', 'admin'] as const;

export const load: PageServerLoad = async ({ locals, url }) => {
	const { shop } = requireRole(locals, ROLES, url);
	const [versions, activations, reasons] = await Promise.all([
		listPolicyVersions(db(), shop.id),
		listActivations(db(), shop.id),
		listSelectableReasons(db(), shop.id)
	]);
	return { versions, activations, reasons, currency: shop.currency, timeZone: shop.timezone };
};
