import { fail, redirect } from '@sveltejs/kit';
import { authErrorMessage } from '$lib/server/auth/messages';
import { findPasswordReset, resetPassword } from '$lib/server/auth/password-reset';
import { setSessionTokenCookie } from '$lib/server/auth/session';
import { db } from '$lib/server/db';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, setHeaders }) => {
	// The token is in the URL: keep it out of Referer headers sent to any other site.
	setHeaders({ 'referrer-policy': 'same-origin', 'cache-control': 'no-store' });
	const reset = await findPasswordReset(db(), params.token);
	return { email: reset?.email ?? null };
};

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const password = String(form.get('password') ?? '');
		const result = await resetPassword(db(), event.params.token, password);
		if (!result.ok) {
			if (result.code === 'reset_invalid') return fail(400, { invalid: true, error: authErrorMessage(result.code) });
			return fail(400, { invalid: false, error: authErrorMessage(result.code) });
		}
		setSessionTokenCookie(event, result.token, result.session.expiresAt);
		redirect(303, '/admin');
	}
};
