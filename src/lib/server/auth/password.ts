import { hash, verify } from '@node-rs/argon2';
import type { AuthErrorCode } from './errors';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

/** argon2id (the library's default algorithm) with OWASP's minimum: 19 MiB, 2 passes, 1 lane. */
const ARGON2 = { memoryCost: 19456, timeCost: 2, outputLen: 32, parallelism: 1 } as const;

export type PasswordProblem = Extract<AuthErrorCode, 'password_too_short' | 'password_too_long' | 'password_is_email'>;

/** The rule for a new password; lengths count characters, not bytes. */
export function checkPasswordStrength(password: string, email: string): PasswordProblem | null {
	const length = [...password].length;
	if (length < PASSWORD_MIN_LENGTH) return 'password_too_short';
	if (length > PASSWORD_MAX_LENGTH) return 'password_too_long';
	if (password.trim().toLowerCase() === email.trim().toLowerCase()) return 'password_is_email';
	return null;
}

export function hashPassword(password: string): Promise<string> {
	return hash(password, ARGON2);
}

/** False for a wrong password, a malformed hash or an over-long input (argon2 on megabytes is a DoS). */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	if (password.length > PASSWORD_MAX_LENGTH * 4) return false;
	try {
		return await verify(passwordHash, password);
	} catch {
		return false;
	}
}
