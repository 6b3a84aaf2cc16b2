import { randomBytes } from 'node:crypto';

/** Crockford's base32: no I, L, O or U, so an RMA read aloud or written on a parcel is not misread. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** R-XXXX-XXXX: 40 random bits, short enough to write on a parcel. */
export function generateRma(random: (n: number) => Uint8Array = randomBytes): string {
	const bytes = random(5);
	let bits = 0n;
	for (const b of bytes) bits = (bits << 8n) | BigInt(b);
	let out = '';
	for (let i = 0; i < 8; i++) {
		out = ALPHABET[Number(bits & 31n)] + out;
		bits >>= 5n;
	}
	return `R-${out.slice(0, 4)}-${out.slice(4)}`;
}

/** What staff type or scan: case, spaces, dashes and look-alike letters forgiven. */
export function normalizeRma(input: string): string | null {
	let raw = input.trim().toUpperCase();
	if (/^R[-\s]/.test(raw)) raw = raw.slice(2);
	raw = raw.replace(/[\s-]/g, '');
	if (raw.length === 9 && raw.startsWith('R')) raw = raw.slice(1);
	raw = raw.replace(/[IL]/g, '1').replace(/O/g, '0');
	if (!/^[0-9A-HJKMNP-TV-Z]{8}$/.test(raw)) return null;
	return `R-${raw.slice(0, 4)}-${raw.slice(4)}`;
}
