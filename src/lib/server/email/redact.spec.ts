import { describe, expect, it } from 'vitest';
import { emailTextFor } from './redact';

const text = 'Hello,\n\nReset your password:\nhttp://localhost:3000/reset-password/abcdefghijklmnopqrstuvwxyz234567\n\n— Retour';

describe('emailTextFor', () => {
	it('hides password-reset links from admins', () => {
		const shown = emailTextFor('admin', 'password_reset', text, '[hidden]');
		expect(shown).not.toContain('/reset-password/');
		expect(shown).toContain('[hidden]');
		expect(shown).toContain('Reset your password:');
	});

	it('shows them to owners, and leaves other emails alone', () => {
		expect(emailTextFor('owner', 'password_reset', text, '[hidden]')).toBe(text);
		const invite = 'Join: http://localhost:3000/invite/abc';
		expect(emailTextFor('admin', 'invitation', invite, '[hidden]')).toBe(invite);
	});
});
