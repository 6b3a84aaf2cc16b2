import { describe, expect, it } from 'vitest';
import { escapeHtml, invitationEmail, passwordResetEmail } from './templates';

describe('email templates', () => {
	it('write the password reset email in the recipient’s language, text and HTML', () => {
		const url = 'https://returns.example/reset-password/abc';
		const en = passwordResetEmail('en', { url, email: 'ana@example.com' });
		const fr = passwordResetEmail('fr', { url, email: 'ana@example.com' });
		expect(en.subject).toBe('Choose a new Retour password');
		expect(fr.subject).toBe('Choisissez un nouveau mot de passe Retour');
		expect(en.text).toContain(url);
		expect(en.text).toContain('one hour');
		expect(fr.text).toContain('pendant une heure');
		expect(fr.html).toContain('<html lang="fr">');
		expect(fr.html).toContain(`href="${url}"`);
	});

	it('name the shop, the inviter and the role in an invitation, escaping them in HTML', () => {
		const email = invitationEmail('fr', {
			url: 'https://returns.example/invite/xyz',
			shopName: 'Jeans & <Co>',
			inviterName: 'Camille',
			role: 'staff'
		});
		expect(email.subject).toBe('Vous êtes invité à rejoindre Jeans & <Co> sur Retour');
		expect(email.text).toContain('Camille vous invite à rejoindre Jeans & <Co> sur Retour');
		expect(email.text).toContain('Équipe');
		expect(email.html).toContain('Jeans &amp; &lt;Co&gt;');
		expect(email.html).not.toContain('<Co>');
	});

	it('escape every HTML-significant character', () => {
		expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
	});
});
