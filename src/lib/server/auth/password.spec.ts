import { describe, expect, it } from 'vitest';
import { checkPasswordStrength, hashPassword, verifyPassword } from './password';

describe('password strength', () => {
	const email = 'camille@example.com';

	it('needs at least 10 characters, counted as characters not bytes', () => {
		expect(checkPasswordStrength('123456789', email)).toBe('password_too_short');
		expect(checkPasswordStrength('1234567890', email)).toBeNull();
		expect(checkPasswordStrength('éééééééé', email)).toBe('password_too_short'); // 16 bytes, 8 characters
		expect(checkPasswordStrength('🔒🔒🔒🔒🔒🔒🔒🔒🔒🔒', email)).toBeNull();
	});

	it('allows at most 256 characters', () => {
		expect(checkPasswordStrength('a'.repeat(256), email)).toBeNull();
		expect(checkPasswordStrength('a'.repeat(257), email)).toBe('password_too_long');
	});

	it('must not be the email address, whatever its case or surrounding spaces', () => {
		expect(checkPasswordStrength('Camille@Example.com', email)).toBe('password_is_email');
		expect(checkPasswordStrength(' camille@example.com ', email)).toBe('password_is_email');
		expect(checkPasswordStrength('camille@example.com!', email)).toBeNull();
	});
});

describe('password hashing', () => {
	it('hashes with argon2id, 19 MiB, 2 passes, and verifies only the right password', async () => {
		const hash = await hashPassword('correct horse battery');
		expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
		expect(await hashPassword('correct horse battery')).not.toBe(hash); // salted
		expect(await verifyPassword(hash, 'correct horse battery')).toBe(true);
		expect(await verifyPassword(hash, 'correct horse batterz')).toBe(false);
	});

	it('answers false, not an exception, for a malformed hash or an absurdly long input', async () => {
		expect(await verifyPassword('not-a-hash', 'whatever password')).toBe(false);
		const hash = await hashPassword('correct horse battery');
		expect(await verifyPassword(hash, 'x'.repeat(100_000))).toBe(false);
	});
});
