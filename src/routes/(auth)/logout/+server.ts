import { redirect } from '@sveltejs/kit';
import { deleteSessionTokenCookie, invalidateSession } from '$lib/server/auth/session';
import { db } from '$lib/server/db';
import type { RequestHandler } from './$types';

/** The sign-out form posts here (SvelteKit's origin check guards it against cross-site posts). */
export const POST: RequestHandler = async (event) => {
	if (event.locals.session) await invalidateSession(db(), event.locals.session.id);
	deleteSessionTokenCookie(event);
	redirect(303, '/login?signed-out');
};
