/**
 * Money arithmetic for orders: integer minor units only, never floats. VAT rates are percentages with at
 * most three decimals (the schema's numeric(6, 3)), handled as integer thousandths of a percent.
 */

import { currencyExponent, minorToDecimal, moneyFormatter } from '../../money';

export { currencyExponent };

/** A rate such as 5.5 (percent) as an exact integer of thousandths of a percent (5500), or null if it has more than three decimals. */
export function rateToMilli(ratePercent: number): number | null {
	if (!Number.isFinite(ratePercent)) return null;
	const milli = Math.round(ratePercent * 1000);
	return Math.abs(milli - ratePercent * 1000) < 1e-6 ? milli : null;
}

/** quantity × unit price − discount, in minor units. */
export function lineTotal(quantity: number, unitPrice: number, discount = 0): number {
	return quantity * unitPrice - discount;
}

/** Integer division rounding half away from zero (all our amounts are ≥ 0, so half-up). */
function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
	return (2n * numerator + denominator) / (2n * denominator);
}

/**
 * The VAT in a line total, rounded half-up to the minor unit.
 * Taxes included: total × rate / (100 + rate) — the VAT inside the price.
 * Taxes excluded: total × rate / 100 — the VAT added on top.
 */
export function vatAmount(total: number, ratePercent: number, taxesIncluded: boolean): number {
	if (!Number.isSafeInteger(total) || total < 0) throw new RangeError(`A total must be a non-negative integer of minor units, got ${total}`);
	const milli = rateToMilli(ratePercent);
	if (milli === null || milli < 0) throw new RangeError(`A VAT rate must be a non-negative percentage with at most 3 decimals, got ${ratePercent}`);
	const t = BigInt(total);
	const r = BigInt(milli);
	const result = taxesIncluded ? divideHalfUp(t * r, 100_000n + r) : divideHalfUp(t * r, 100_000n);
	return Number(result);
}

export interface OrderAmountsInput {
	taxesIncluded: boolean;
	lines: { quantity: number; unitPrice: number; discount: number; vatAmount: number }[];
	shipping: { amount: number; vatAmount: number };
}

export interface OrderAmounts {
	lineTotals: number[];
	subtotal: number;
	shipping: number;
	shippingTax: number;
	tax: number;
	total: number;
}

/** Subtotal = Σ line totals; total = subtotal + shipping, plus all VAT when prices exclude it. */
export function orderAmounts(input: OrderAmountsInput): OrderAmounts {
	const lineTotals = input.lines.map((l) => lineTotal(l.quantity, l.unitPrice, l.discount));
	const subtotal = lineTotals.reduce((a, b) => a + b, 0);
	const tax = input.lines.reduce((a, l) => a + l.vatAmount, 0) + input.shipping.vatAmount;
	const total = subtotal + input.shipping.amount + (input.taxesIncluded ? 0 : tax);
	return { lineTotals, subtotal, shipping: input.shipping.amount, shippingTax: input.shipping.vatAmount, tax, total };
}

/**
 * "89.00", "89,5", "1234" in major units to minor units of `currency`, exactly (string arithmetic, no
 * float). Null when the text is not such a number or has more decimals than the currency allows.
 * Thousands separators are not accepted: "1,234" would be ambiguous.
 */
export function parseMajorUnits(text: string, currency: string): number | null {
	const match = /^\s*(-?)(\d+)(?:[.,](\d*))?\s*$/.exec(text);
	if (!match) return null;
	const [, sign, whole, fraction = ''] = match;
	const exponent = currencyExponent(currency);
	const trimmed = fraction.replace(/0+$/, '');
	if (trimmed.length > exponent) return null;
	const minor = BigInt(whole + fraction.padEnd(exponent, '0').slice(0, exponent));
	const value = sign === '-' ? -minor : minor;
	if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER)) return null;
	return Number(value);
}

/** Minor units back to a major-unit decimal string: 8900 EUR → "89.00", 1200 JPY → "1200". */
export const formatMinorUnits = minorToDecimal;

/** For display: minor units in the reader's locale. */
export function formatMoney(amount: number, currency: string, locale: string): string {
	return moneyFormatter(locale)(amount, currency);
}
