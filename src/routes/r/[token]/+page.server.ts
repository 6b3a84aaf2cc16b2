import { error } from '@sveltejs/kit';
import { readConfig } from '$lib/server/config';
import { db } from '$lib/server/db';
import { openReturnLink } from '$lib/server/orders/customer-view';
import { returnLinkSecret } from '$lib/server/secrets';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, setHeaders }) => {
	// Before anything can fail: the token must not leak through Referer, caches or search engines.
	// same-origin, not no-referrer: the token never leaves the site, and the browser still sends the Origin
	// header that SvelteKit's CSRF check needs for this page's forms.
	setHeaders({ 'referrer-policy': 'same-origin', 'x-robots-tag': 'noindex', 'cache-control': 'private, no-store' });
	const order = await openReturnLink(db(), returnLinkSecret(readConfig()), params.token);
	// Tampered, unknown or expired: one answer that says nothing about the order or the shop.
	if (!order) error(404, { message: 'This link is not valid' });
	return { order };
};
