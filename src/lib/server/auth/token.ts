import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';

/** 20 random bytes as 32 characters of lowercase base32: session, password-reset and invitation tokens. */
export function generateToken(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

/** What the database stores instead of a token: a leaked table opens no session and no emailed link. */
export function hashToken(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

const TOKEN_FORMAT = /^[a-z2-7]{32}$/;

/** Cheap shape check before any lookup, so garbage cookies and URLs never reach the database. */
export function isTokenShaped(token: string | null | undefined): token is string {
	return typeof token === 'string' && TOKEN_FORMAT.test(token);
}
