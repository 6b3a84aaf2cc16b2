import { m } from '$lib/paraglide/messages';
import type { AuthErrorCode } from './errors';

const MESSAGES: Record<AuthErrorCode, () => string> = {
	email_invalid: m.auth_error_email_invalid,
	email_taken: m.auth_error_email_taken,
	name_required: m.auth_error_name_required,
	name_too_long: m.auth_error_name_too_long,
	password_too_short: m.auth_error_password_too_short,
	password_too_long: m.auth_error_password_too_long,
	password_is_email: m.auth_error_password_is_email,
	credentials_invalid: m.auth_error_credentials_invalid,
	rate_limited: m.auth_error_rate_limited,
	no_shop: m.auth_error_no_shop,
	already_member: m.auth_error_already_member,
	role_not_allowed: m.auth_error_forbidden,
	cannot_remove_self: m.auth_error_cannot_remove_self,
	last_owner: m.auth_error_last_owner,
	member_not_found: m.auth_error_member_not_found,
	invitation_invalid: m.auth_error_invitation_invalid,
	reset_invalid: m.auth_error_reset_invalid
};

/** The visitor-language message for a refused auth operation. */
export function authErrorMessage(code: AuthErrorCode): string {
	return MESSAGES[code]();
}

/** Which form field an error belongs to, so the page can mark it (aria-invalid, aria-describedby). */
export function authErrorField(code: AuthErrorCode): 'email' | 'password' | 'name' | null {
	if (code === 'email_invalid' || code === 'email_taken') return 'email';
	if (code === 'name_required' || code === 'name_too_long') return 'name';
	if (code === 'password_too_short' || code === 'password_too_long' || code === 'password_is_email') return 'password';
	return null;
}
