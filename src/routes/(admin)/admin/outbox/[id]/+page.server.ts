import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { getShopEmail } from '$lib/server/email';
import { emailTextFor } from '$lib/server/email/redact';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params, setHeaders }) => {
	const { shop, role } = requireRole(locals, ['owner', 'admin'], url);
	const email = await getShopEmail(db(), shop.id, params.id);
	if (!email) error(404, { message: m.auth_outbox_not_found() });
	// Links in a stored email open accounts (reset, invitation): keep this page out of caches.
	setHeaders({ 'cache-control': 'no-store', 'referrer-policy': 'same-origin' });
	return {
		timeZone: shop.timezone,
		email: {
			id: email.id,
			to: email.to,
			subject: email.subject,
			kind: email.kind,
			status: email.status,
			error: email.error,
			text: emailTextFor(role, email.kind, email.text, m.auth_outbox_link_hidden()),
			createdAt: email.createdAt,
			sentAt: email.sentAt,
			attachments: email.attachments
		}
	};
};
