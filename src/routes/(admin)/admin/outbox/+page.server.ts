import { requireRole } from '$lib/server/auth/guard';
import { readConfig } from '$lib/server/config';
import { db } from '$lib/server/db';
import { listShopEmails } from '$lib/server/email';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const { shop } = requireRole(locals, ['owner', 'admin'], url);
	return {
		timeZone: shop.timezone,
		smtpConfigured: Boolean(readConfig().smtpUrl),
		emails: await listShopEmails(db(), shop.id)
	};
};
