import { error, redirect, type Handle } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { db } from '../db';
import { setShopLocale } from '../i18n';
import { rolesFor } from './guard';
import { deleteSessionTokenCookie, SESSION_COOKIE, setSessionTokenCookie, validateSessionToken } from './session';

/**
 * Reads the session cookie into locals (null when signed out). A valid session's cookie is set again
 * with its possibly renewed expiry; an invalid one is deleted. A member's shop locale becomes the
 * fallback language. Runs before the locale handle.
 */
export const handleSession: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	event.locals.session = null;
	event.locals.shop = null;
	event.locals.role = null;
	const token = event.cookies.get(SESSION_COOKIE);
	if (!token) return resolve(event);
	const result = await validateSessionToken(db(), token);
	if (!result) {
		deleteSessionTokenCookie(event);
		return resolve(event);
	}
	setSessionTokenCookie(event, token, result.session.expiresAt);
	event.locals.user = result.user;
	event.locals.session = result.session;
	event.locals.shop = result.shop;
	event.locals.role = result.role;
	setShopLocale(event.request, result.shop.locale);
	return resolve(event);
};

/**
 * Route-level role check (guard.ts lists the routes): signed out → sign-in with a way back; signed in
 * without the role → 403. Loads and actions check again with requireRole. Runs after the locale handle,
 * so its message is in the visitor's language.
 */
export const handleGuard: Handle = async ({ event, resolve }) => {
	const roles = rolesFor(event.route.id);
	if (roles) {
		if (!event.locals.user || !event.locals.role) {
			redirect(303, `/login?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
		}
		if (!roles.includes(event.locals.role)) error(403, { message: m.auth_error_forbidden() });
	}
	return resolve(event);
};
