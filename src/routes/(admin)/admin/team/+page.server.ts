import { fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { AuthError } from '$lib/server/auth/errors';
import { requireRole } from '$lib/server/auth/guard';
import { inviteMember, listPendingInvitations, revokeInvitation } from '$lib/server/auth/invitations';
import { authErrorMessage } from '$lib/server/auth/messages';
import { invitableRolesFor, isInvitableRole, removalProblem } from '$lib/server/auth/roles';
import { listMembers, removeMember } from '$lib/server/auth/users';
import { db } from '$lib/server/db';
import type { Actions, PageServerLoad } from './$types';

const ROLES = ['owner', 'admin'] as const;

export const load: PageServerLoad = async ({ locals, url }) => {
	const { user, shop, role } = requireRole(locals, ROLES, url);
	const [members, invitations] = await Promise.all([listMembers(db(), shop.id), listPendingInvitations(db(), shop.id)]);
	const ownerCount = members.filter((member) => member.role === 'owner').length;
	return {
		timeZone: shop.timezone,
		invitableRoles: invitableRolesFor(role),
		members: members.map((member) => ({
			...member,
			isYou: member.userId === user.id,
			removable:
				removalProblem({ actorUserId: user.id, actorRole: role, targetUserId: member.userId, targetRole: member.role, ownerCount }) ===
				null
		})),
		invitations
	};
};

export const actions: Actions = {
	invite: async ({ locals, url, request }) => {
		const { user, shop, role: actorRole } = requireRole(locals, ROLES, url);
		const form = await request.formData();
		const email = String(form.get('email') ?? '').trim();
		const role = String(form.get('role') ?? '');
		if (!isInvitableRole(role)) return fail(400, { action: 'invite', email, role, field: 'role', error: m.auth_team_role_invalid() });
		if (!invitableRolesFor(actorRole).includes(role)) {
			return fail(403, { action: 'invite', email, role, field: 'role', error: m.auth_error_forbidden() });
		}
		const result = await inviteMember(db(), { shopId: shop.id, email, role, invitedBy: user.id }, { origin: url.origin });
		if (!result.ok) {
			const field = result.code === 'role_not_allowed' ? 'role' : 'email';
			return fail(result.code === 'role_not_allowed' ? 403 : 400, { action: 'invite', email, role, field, error: authErrorMessage(result.code) });
		}
		return { action: 'invite', success: m.auth_team_invited({ email: result.invitation.email }) };
	},

	revoke: async ({ locals, url, request }) => {
		const { shop } = requireRole(locals, ROLES, url);
		const form = await request.formData();
		const id = String(form.get('id') ?? '');
		const email = String(form.get('email') ?? '');
		if (!(await revokeInvitation(db(), shop.id, id))) return fail(404, { action: 'revoke', error: m.auth_team_invitation_gone() });
		return { action: 'revoke', success: m.auth_team_revoked({ email }) };
	},

	remove: async ({ locals, url, request }) => {
		const { user, shop } = requireRole(locals, ROLES, url);
		const form = await request.formData();
		const userId = String(form.get('userId') ?? '');
		const members = await listMembers(db(), shop.id);
		const target = members.find((member) => member.userId === userId);
		if (!target) return fail(404, { action: 'remove', error: authErrorMessage('member_not_found') });
		try {
			await removeMember(db(), shop.id, user.id, userId);
		} catch (error) {
			if (!(error instanceof AuthError)) throw error;
			return fail(error.code === 'member_not_found' ? 404 : 403, { action: 'remove', error: authErrorMessage(error.code) });
		}
		return { action: 'remove', success: m.auth_team_removed({ email: target.email }) };
	}
};
