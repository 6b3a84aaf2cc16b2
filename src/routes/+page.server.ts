import { fail, redirect } from '@sveltejs/kit';
import { readConfig } from '$lib/server/config';
import { db } from '$lib/server/db';
import { lookupOrder } from '$lib/server/orders/lookup';
import { signReturnToken } from '$lib/server/orders/return-links';
import { returnLinkSecret } from '$lib/server/secrets';
import type { Actions } from './$types';

export const actions: Actions = {
	/** Order number + email → that order's return link; every miss gets the same answer. */
	lookup: async ({ request, getClientAddress }) => {
		const form = await request.formData();
		const orderNumber = String(form.get('orderNumber') ?? '');
		const email = String(form.get('email') ?? '');
		const result = await lookupOrder(db(), { orderNumber, email }, getClientAddress());
		switch (result.kind) {
			case 'found':
				redirect(303, `/r/${signReturnToken(returnLinkSecret(readConfig()), result.orderId)}`);
			case 'invalid':
				return fail(400, { orderNumber, email, fields: result.errors });
			case 'not_found':
				return fail(404, { orderNumber, email, notFound: true });
			case 'rate_limited':
				return fail(429, { orderNumber, email, retryAfterMinutes: Math.ceil(result.retryAfterSeconds / 60) });
		}
	}
};
