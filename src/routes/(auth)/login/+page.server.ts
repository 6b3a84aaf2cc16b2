import { fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { signIn } from '$lib/server/auth/login';
import { authErrorMessage } from '$lib/server/auth/messages';
import { safeNextPath } from '$lib/server/auth/redirect';
import { setSessionTokenCookie } from '$lib/server/auth/session';
import { db } from '$lib/server/db';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, safeNextPath(url.searchParams.get('next')));
	return { signedOut: url.searchParams.has('signed-out') };
};

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const email = String(form.get('email') ?? '').trim();
		const password = String(form.get('password') ?? '');
		if (!email || !password) return fail(400, { email, message: m.auth_login_fields_required() });
		const result = await signIn(db(), { email, password, ip: event.getClientAddress() });
		if (!result.ok) return fail(result.code === 'rate_limited' ? 429 : 400, { email, message: authErrorMessage(result.code) });
		setSessionTokenCookie(event, result.token, result.session.expiresAt);
		redirect(303, safeNextPath(event.url.searchParams.get('next')));
	}
};
