import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import { currencyCode, MAX_AMOUNT, minorUnits } from '../api/schema';

/**
 * Store credit codes, the refusals of the credit ledger and the redemption request: pure, so the API's
 * error mapping and the OpenAPI document use them without loading the ledger's database code.
 */

/** 32 symbols (5 bits each, so a random byte maps without bias); no 0/O or 1/I for a customer to confuse. */
export const CREDIT_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** The migration's check: three or four groups of four (codes imported from another system may have four). */
export const CREDIT_CODE_PATTERN = /^[A-Z0-9]{4}(-[A-Z0-9]{4}){2,3}$/;

/** `XXXX-XXXX-XXXX`: 12 symbols of 5 bits, 60 bits from node:crypto. */
export function generateCreditCode(): string {
	const bytes = randomBytes(12);
	let symbols = '';
	for (const byte of bytes) symbols += CREDIT_CODE_ALPHABET[byte & 31];
	return `${symbols.slice(0, 4)}-${symbols.slice(4, 8)}-${symbols.slice(8, 12)}`;
}

/**
 * A code as typed or pasted (" abcd efgh-jkmn ", "ABCDEFGHJKMN") in its stored form, or null when it cannot be
 * a code. Letters are not mapped (O to 0…): imported codes may use any of A–Z and 0–9.
 */
export function normalizeCreditCode(input: string): string | null {
	if (typeof input !== 'string' || input.length > 64) return null;
	const symbols = input.replace(/[\s\-‐‑‒–—]/g, '').toUpperCase();
	if (!/^[A-Z0-9]+$/.test(symbols) || (symbols.length !== 12 && symbols.length !== 16)) return null;
	const code = symbols.match(/.{4}/g)!.join('-');
	return CREDIT_CODE_PATTERN.test(code) ? code : null;
}

/** For logs and return events, which staff and integrations read: `XXXX-…-ABCD` spends nothing. */
export function maskCreditCode(code: string): string {
	return `XXXX-…-${code.slice(-4)}`;
}

export type CreditErrorCode =
	| 'credit_not_found'
	| 'invalid_amount'
	| 'invalid_currency'
	| 'invalid_idempotency_key'
	| 'idempotency_conflict'
	| 'insufficient_balance'
	| 'credit_expired'
	| 'currency_mismatch';

/** A refusal of the ledger, in words a merchant's developer can act on; `field` names the input at fault. */
export class CreditError extends Error {
	constructor(
		readonly code: CreditErrorCode,
		message: string,
		readonly field?: string
	) {
		super(message);
		this.name = 'CreditError';
	}
}

/** The body of POST /credits/{code}/redemptions; the idempotency key travels in the `Idempotency-Key` header. */
export const redemptionInput = z
	.strictObject({
		amount: minorUnits('1250 for €12.50')
			.min(1, 'must be at least 1 (minor units)')
			.max(MAX_AMOUNT, `must be at most ${MAX_AMOUNT} minor units`)
			.meta({ description: 'What to spend, in integer minor units of `currency` (1250 = €12.50).' }),
		currency: currencyCode.meta({ description: 'The code\'s currency (ISO 4217), e.g. "EUR".' }),
		reference: z
			.string()
			.trim()
			.min(1)
			.max(255)
			.nullish()
			.meta({ description: 'Your reference for this spend, e.g. the order number it paid for; shown to staff.' })
	})
	.meta({
		description: 'Spends part or all of a code\'s balance. Send the idempotency key as the `Idempotency-Key` header, not in the body.',
		examples: [{ amount: 1250, currency: 'EUR', reference: '#10423' }]
	});

export type RedemptionInput = z.output<typeof redemptionInput>;
