import * as z from 'zod';

/** Building blocks shared by the API's request schemas. */

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

export const currencyCode = z
	.string()
	.regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 currency code in capitals, e.g. "EUR"', abort: true })
	.refine((c) => CURRENCIES.has(c), 'is not an ISO 4217 currency code');

/**
 * The largest amount Retour takes (10^12 minor units: €10 billion), so that sums of many lines stay exact
 * integers in JavaScript (below 2^53) and in bigint columns.
 */
export const MAX_AMOUNT = 1_000_000_000_000;

/** An amount in integer minor units, refused with words that show one (`example`: "8900 for €89.00"). */
export function minorUnits(example: string) {
	return z.int({
		error: (iss) =>
			iss.code !== 'invalid_type'
				? undefined
				: iss.input === undefined
					? 'is required'
					: `must be an integer of minor units (${example}), not a decimal or a string`
	});
}

/** Money is always an integer of minor units (cents for EUR, yen for JPY) beside its currency. */
export const money = z
	.strictObject({
		amount: minorUnits('8900 for €89.00')
			.min(0, 'must not be negative')
			.max(MAX_AMOUNT, `must be at most ${MAX_AMOUNT} minor units`),
		currency: currencyCode
	})
	.meta({
		description: 'An amount in integer minor units of the currency (8900 = €89.00; JPY has no minor unit).',
		examples: [{ amount: 8900, currency: 'EUR' }]
	});

export type Money = z.output<typeof money>;

export const externalId = z.string().trim().min(1).max(255);

export const optionalText = (max: number) => z.string().trim().max(max).nullish();

/** ISO 8601 with a time zone: "2025-03-01T14:30:00Z" or "2025-03-01T15:30:00+01:00". */
export const dateTime = z.iso.datetime({
	offset: true,
	error: 'must be an ISO 8601 date-time with a time zone, e.g. "2025-03-01T14:30:00Z"'
});

export const httpUrl = z.string().trim().max(2000).regex(/^https?:\/\/\S+$/, 'must be an http(s) URL');

/** A percentage with at most three decimals below 100: 20, 5.5, 2.1. */
export const vatRate = z
	.number()
	.min(0)
	.lt(100, 'must be a percentage below 100 (e.g. 20 or 5.5)')
	.refine((r) => Math.abs(Math.round(r * 1000) - r * 1000) < 1e-6, 'must have at most 3 decimals');
