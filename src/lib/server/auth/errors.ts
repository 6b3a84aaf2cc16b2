/** Why an auth operation was refused. Routes translate the code; the English message is for logs and scripts. */
export type AuthErrorCode =
	| 'email_invalid'
	| 'email_taken'
	| 'name_required'
	| 'name_too_long'
	| 'password_too_short'
	| 'password_too_long'
	| 'password_is_email'
	| 'credentials_invalid'
	| 'rate_limited'
	| 'no_shop'
	| 'already_member'
	| 'role_not_allowed'
	| 'cannot_remove_self'
	| 'last_owner'
	| 'member_not_found'
	| 'invitation_invalid'
	| 'reset_invalid';

const ENGLISH: Record<AuthErrorCode, string> = {
	email_invalid: 'The email address is not valid.',
	email_taken: 'A user with this email address already exists.',
	name_required: 'Please enter your name.',
	name_too_long: 'The name must be at most 200 characters long.',
	password_too_short: 'The password must be at least 10 characters long.',
	password_too_long: 'The password must be at most 256 characters long.',
	password_is_email: 'The password must not be the email address.',
	credentials_invalid: 'Email or password is incorrect.',
	rate_limited: 'Too many attempts; try again later.',
	no_shop: 'This account is not a member of any shop.',
	already_member: 'This person is already a member of the shop.',
	role_not_allowed: 'Your role does not allow this.',
	cannot_remove_self: 'You cannot remove yourself from the shop.',
	last_owner: 'A shop must keep at least one owner.',
	member_not_found: 'This person is not a member of the shop.',
	invitation_invalid: 'This invitation is not valid any more.',
	reset_invalid: 'This password reset link is not valid any more.'
};

export class AuthError extends Error {
	constructor(readonly code: AuthErrorCode) {
		super(ENGLISH[code]);
		this.name = 'AuthError';
	}
}

export function englishAuthMessage(code: AuthErrorCode): string {
	return ENGLISH[code];
}
