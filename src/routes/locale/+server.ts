import { error, redirect } from '@sveltejs/kit';
import { isLocale } from '$lib/paraglide/runtime';
import { safeNextPath } from '$lib/server/auth/redirect';
import { LOCALE_COOKIE } from '$lib/server/i18n';
import type { RequestHandler } from './$types';

/** The language switcher posts here (a plain form, so it works without JavaScript). */
export const POST: RequestHandler = async ({ request, cookies, url }) => {
	const form = await request.formData();
	const locale = String(form.get('locale') ?? '');
	if (!isLocale(locale)) error(400, { message: `Unknown language "${locale}"` });
	cookies.set(LOCALE_COOKIE, locale, {
		path: '/',
		httpOnly: false,
		sameSite: 'lax',
		secure: url.protocol === 'https:',
		maxAge: 60 * 60 * 24 * 400
	});
	redirect(303, safeNextPath(String(form.get('redirectTo') ?? '/'), '/'));
};
