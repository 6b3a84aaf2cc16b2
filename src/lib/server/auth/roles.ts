import type { AuthErrorCode } from './errors';
import type { Role } from './guard';

export const ROLES: readonly Role[] = ['owner', 'admin', 'staff'];
export type InvitableRole = 'admin' | 'staff';
export const INVITABLE_ROLES: readonly InvitableRole[] = ['admin', 'staff'];

export function isRole(value: unknown): value is Role {
	return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function isInvitableRole(value: unknown): value is InvitableRole {
	return typeof value === 'string' && (INVITABLE_ROLES as readonly string[]).includes(value);
}

/** Owners invite admins and staff; admins invite staff only, so nobody grants more than they hold below owner. */
export function canInvite(actor: Role, role: InvitableRole): boolean {
	if (actor === 'owner') return true;
	return actor === 'admin' && role === 'staff';
}

/** The roles an actor may hand out in an invitation, in display order. */
export function invitableRolesFor(actor: Role): InvitableRole[] {
	return INVITABLE_ROLES.filter((role) => canInvite(actor, role));
}

/**
 * Whether `actor` may remove `target` from the shop: never oneself, never the last owner; owners remove
 * anyone, admins remove staff only.
 */
export function removalProblem(input: {
	actorUserId: string;
	actorRole: Role;
	targetUserId: string;
	targetRole: Role;
	ownerCount: number;
}): AuthErrorCode | null {
	if (input.actorUserId === input.targetUserId) return 'cannot_remove_self';
	if (input.actorRole === 'staff') return 'role_not_allowed';
	if (input.actorRole === 'admin' && input.targetRole !== 'staff') return 'role_not_allowed';
	if (input.targetRole === 'owner' && input.ownerCount <= 1) return 'last_owner';
	return null;
}
