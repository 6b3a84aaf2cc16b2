/**
 * A password-reset link signs its holder in as that member: an admin reading it in the outbox could take
 * over any member's account, an owner's included. Only owners (who can already remove anyone) see them.
 */
export function emailTextFor(role: 'owner' | 'admin' | 'staff', kind: string, text: string, hidden: string): string {
	if (role === 'owner' || kind !== 'password_reset') return text;
	return text.replace(/\S*\/reset-password\/\S+/g, hidden);
}
