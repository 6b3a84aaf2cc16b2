/**
 * Where to go after signing in: `next` when it is a path on this site, /admin otherwise. Refuses
 * protocol-relative (`//evil`), backslash (`/\evil`) and absolute URLs, which browsers would follow off-site.
 */
export function safeNextPath(next: string | null | undefined, fallback = '/admin'): string {
	if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
	if (/[\u0000-\u001f\\]/.test(next)) return fallback;
	try {
		const url = new URL(next, 'http://retour.invalid');
		if (url.origin !== 'http://retour.invalid') return fallback;
		// Checked again after normalisation: "/.//evil.com" becomes "//evil.com".
		if (url.pathname.startsWith('//') || url.pathname.startsWith('/\\')) return fallback;
		return url.pathname + url.search + url.hash;
	} catch {
		return fallback;
	}
}
