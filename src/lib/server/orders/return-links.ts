import { createHmac, timingSafeEqual } from 'node:crypto';
import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from '@oslojs/encoding';

/**
 * A return link is `/r/<token>`: the order's id and an HMAC-SHA256 of it (truncated to 128 bits) under
 * the installation's RETURN_LINK_SECRET. It opens one order and nothing else; how long it stays valid
 * is decided from the order's returns (returnLinkExpiry), so the link in an old email keeps working
 * while a return is open.
 */
const VERSION = 1;
const MAC_BYTES = 16;

export function signReturnToken(secret: string, orderId: string): string {
	const id = uuidToBytes(orderId);
	const body = new Uint8Array(1 + id.length);
	body[0] = VERSION;
	body.set(id, 1);
	const mac = createHmac('sha256', secret).update(body).digest().subarray(0, MAC_BYTES);
	const token = new Uint8Array(body.length + MAC_BYTES);
	token.set(body);
	token.set(mac, body.length);
	return encodeBase64urlNoPadding(token);
}

/** The order id the token was signed for, or null for anything tampered, truncated or foreign. */
export function verifyReturnToken(secret: string, token: string): string | null {
	if (!/^[A-Za-z0-9_-]{20,80}$/.test(token)) return null;
	let bytes: Uint8Array;
	try {
		bytes = decodeBase64urlIgnorePadding(token);
	} catch {
		return null;
	}
	if (bytes.length !== 1 + 16 + MAC_BYTES || bytes[0] !== VERSION) return null;
	const body = bytes.subarray(0, 17);
	const expected = createHmac('sha256', secret).update(body).digest().subarray(0, MAC_BYTES);
	if (!timingSafeEqual(expected, bytes.subarray(17))) return null;
	return bytesToUuid(body.subarray(1));
}

export const LINK_DAYS_AFTER_LAST_RETURN = 90;
/** An order nobody has returned anything from keeps its link this long after delivery (or order). */
export const LINK_DAYS_WITHOUT_RETURN = 365;

const DAY = 86_400_000;

/**
 * When the link stops working: 90 days after the last return closes; never while a return is open;
 * a year after delivery for an order with no return yet.
 */
export function returnLinkExpiry(
	order: { orderedAt: Date; deliveredAt: Date | null },
	returns: { closedAt: Date | null }[]
): Date | null {
	const base = new Date((order.deliveredAt ?? order.orderedAt).getTime() + LINK_DAYS_WITHOUT_RETURN * DAY);
	if (returns.length === 0) return base;
	if (returns.some((r) => r.closedAt === null)) return null;
	const lastClosed = Math.max(...returns.map((r) => r.closedAt!.getTime()));
	return new Date(Math.max(base.getTime(), lastClosed + LINK_DAYS_AFTER_LAST_RETURN * DAY));
}

export function isReturnLinkValid(expiry: Date | null, now: Date = new Date()): boolean {
	return expiry === null || now.getTime() < expiry.getTime();
}

function uuidToBytes(uuid: string): Uint8Array {
	const hex = uuid.replace(/-/g, '');
	if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error(`Not a UUID: ${uuid}`);
	return Uint8Array.from(hex.match(/../g)!.map((h) => parseInt(h, 16)));
}

function bytesToUuid(bytes: Uint8Array): string {
	const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
