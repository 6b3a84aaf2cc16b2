import type { Queryable } from '../db';
import { clientKey, hit } from '../rate-limit';

/**
 * "Find my order" for customers without their email: order number + email. Every miss looks the same
 * (no hint of which field was wrong), and attempts are limited per client address (IPv6 per /64), per
 * order number and per email, so none of them can be enumerated from many addresses.
 */
export const LOOKUP_LIMITS = {
	perAddress: { limit: 10, windowSeconds: 600 },
	perOrderNumber: { limit: 5, windowSeconds: 600 },
	perEmail: { limit: 10, windowSeconds: 600 }
} as const;

export interface LookupInput {
	orderNumber: string;
	email: string;
}

export type LookupFieldError = 'required' | 'invalid';

export type LookupResult =
	| { kind: 'found'; orderId: string }
	| { kind: 'not_found' }
	| { kind: 'rate_limited'; retryAfterSeconds: number }
	| { kind: 'invalid'; errors: { orderNumber?: LookupFieldError; email?: LookupFieldError } };

/** "#1042 " → "1042": people copy the number with its hash sign from emails and receipts. */
export function normalizeOrderNumber(raw: string): string {
	return raw.trim().replace(/^#\s*/, '').trim();
}

const EMAIL = /^[^@\s]+@[^@\s]+$/;

export async function lookupOrder(
	sql: Queryable,
	input: LookupInput,
	clientAddress: string,
	now: Date = new Date()
): Promise<LookupResult> {
	const orderNumber = normalizeOrderNumber(input.orderNumber);
	const email = input.email.trim();
	const errors: { orderNumber?: LookupFieldError; email?: LookupFieldError } = {};
	if (!orderNumber) errors.orderNumber = 'required';
	if (!email) errors.email = 'required';
	else if (!EMAIL.test(email) || email.length > 320) errors.email = 'invalid';
	if (errors.orderNumber || errors.email) return { kind: 'invalid', errors };

	const byAddress = await hit(
		sql,
		`lookup:address:${clientKey(clientAddress)}`,
		LOOKUP_LIMITS.perAddress.limit,
		LOOKUP_LIMITS.perAddress.windowSeconds,
		now
	);
	if (!byAddress.allowed) return { kind: 'rate_limited', retryAfterSeconds: byAddress.retryAfterSeconds };
	const byOrder = await hit(
		sql,
		`lookup:order:${orderNumber.toLowerCase().slice(0, 64)}`,
		LOOKUP_LIMITS.perOrderNumber.limit,
		LOOKUP_LIMITS.perOrderNumber.windowSeconds,
		now
	);
	if (!byOrder.allowed) return { kind: 'rate_limited', retryAfterSeconds: byOrder.retryAfterSeconds };
	const byEmail = await hit(
		sql,
		`lookup:email:${email.toLowerCase()}`,
		LOOKUP_LIMITS.perEmail.limit,
		LOOKUP_LIMITS.perEmail.windowSeconds,
		now
	);
	if (!byEmail.allowed) return { kind: 'rate_limited', retryAfterSeconds: byEmail.retryAfterSeconds };

	const orderId = await findOrderId(sql, orderNumber, email);
	return orderId ? { kind: 'found', orderId } : { kind: 'not_found' };
}

/**
 * One query keyed on both fields, so a wrong email and an unknown number cost the same. Any shop of the
 * installation: the most recent order wins if two shops share a number and an email. Shops that store
 * the number with its hash sign ("#1042") match too.
 */
async function findOrderId(sql: Queryable, orderNumber: string, email: string): Promise<string | undefined> {
	if (orderNumber.length > 64) return undefined;
	const [row] = await sql<{ id: string }[]>`
		select id from orders
		where order_number in (${orderNumber}, ${'#' + orderNumber}) and lower(email) = lower(${email})
		order by ordered_at desc
		limit 1`;
	return row?.id;
}
