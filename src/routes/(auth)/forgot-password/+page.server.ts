import { fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { authErrorMessage } from '$lib/server/auth/messages';
import { requestPasswordReset } from '$lib/server/auth/password-reset';
import { isValidEmail, normaliseEmail } from '$lib/server/auth/users';
import { db } from '$lib/server/db';
import type { Actions } from './$types';

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const email = String(form.get('email') ?? '').trim();
		if (!isValidEmail(normaliseEmail(email))) return fail(400, { email, error: m.auth_error_email_invalid() });
		const result = await requestPasswordReset(db(), { email, ip: event.getClientAddress() }, { origin: event.url.origin });
		if (!result.ok) return fail(429, { email, error: authErrorMessage(result.code) });
		// The same answer whether or not the address has an account.
		return { sent: true, email };
	}
};
