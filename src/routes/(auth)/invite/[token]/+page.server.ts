import { fail, redirect } from '@sveltejs/kit';
import { acceptInvitation, findInvitation } from '$lib/server/auth/invitations';
import { authErrorField, authErrorMessage } from '$lib/server/auth/messages';
import { invalidateSession, setSessionTokenCookie } from '$lib/server/auth/session';
import { db } from '$lib/server/db';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, setHeaders }) => {
	setHeaders({ 'referrer-policy': 'same-origin', 'cache-control': 'no-store' });
	const view = await findInvitation(db(), params.token);
	if (!view) return { invitation: null };
	return {
		invitation: {
			email: view.invitation.email,
			role: view.invitation.role,
			invitedBy: view.invitation.invitedByName,
			shopName: view.shopName,
			existingUser: view.existingUser !== null
		}
	};
};

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const name = String(form.get('name') ?? '');
		const password = String(form.get('password') ?? '');
		const result = await acceptInvitation(db(), event.params.token, { name, password, ip: event.getClientAddress() });
		if (!result.ok) {
			return fail(result.code === 'rate_limited' ? 429 : 400, {
				name,
				invalid: result.code === 'invitation_invalid',
				field: authErrorField(result.code),
				error: authErrorMessage(result.code)
			});
		}
		// Whoever was signed in on this browser hands over to the invitee.
		if (event.locals.session) await invalidateSession(db(), event.locals.session.id);
		setSessionTokenCookie(event, result.token, result.session.expiresAt);
		redirect(303, '/admin');
	}
};
