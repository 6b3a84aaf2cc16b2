import { describe, expect, it } from 'vitest';
import { canInvite, invitableRolesFor, removalProblem } from './roles';

describe('who may invite whom', () => {
	it('lets owners invite admins and staff, admins only staff, staff nobody', () => {
		expect(invitableRolesFor('owner')).toEqual(['admin', 'staff']);
		expect(invitableRolesFor('admin')).toEqual(['staff']);
		expect(invitableRolesFor('staff')).toEqual([]);
		expect(canInvite('admin', 'admin')).toBe(false);
	});
});

describe('who may remove whom', () => {
	const base = { actorUserId: 'a', targetUserId: 'b', ownerCount: 2 } as const;

	it('never oneself', () => {
		expect(removalProblem({ ...base, targetUserId: 'a', actorRole: 'owner', targetRole: 'owner' })).toBe('cannot_remove_self');
	});

	it('never the last owner', () => {
		expect(removalProblem({ ...base, ownerCount: 1, actorRole: 'owner', targetRole: 'owner' })).toBe('last_owner');
		expect(removalProblem({ ...base, ownerCount: 2, actorRole: 'owner', targetRole: 'owner' })).toBeNull();
	});

	it('owners remove anyone else; admins remove staff only; staff nobody', () => {
		expect(removalProblem({ ...base, actorRole: 'owner', targetRole: 'admin' })).toBeNull();
		expect(removalProblem({ ...base, actorRole: 'admin', targetRole: 'staff' })).toBeNull();
		expect(removalProblem({ ...base, actorRole: 'admin', targetRole: 'admin' })).toBe('role_not_allowed');
		expect(removalProblem({ ...base, actorRole: 'admin', targetRole: 'owner' })).toBe('role_not_allowed');
		expect(removalProblem({ ...base, actorRole: 'staff', targetRole: 'staff' })).toBe('role_not_allowed');
	});
});
