/**
 * Money shared by the server and the pages: integer minor units beside an ISO 4217 currency. The exponent
 * is ISO 4217's, not Intl's (which rounds HUF, IDR or COP to whole units and would show 100× the amount).
 */

/** ISO 4217 currencies whose minor unit is not the cent. Everything else has two decimals. */
const EXPONENTS: Record<string, number> = {
	BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0,
	VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
	BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
	CLF: 4, UYW: 4
};

/** How many decimals the currency's minor unit has: EUR 2, JPY 0, KWD 3. */
export function currencyExponent(code: string): number {
	return EXPONENTS[code.toUpperCase()] ?? 2;
}

/** 8900 minor units as the exact decimal string "89.00" (no float on the way). */
export function minorToDecimal(amount: number, currency: string): string {
	const digits = currencyExponent(currency);
	const text = Math.abs(amount).toString().padStart(digits + 1, '0');
	const decimal = digits ? `${text.slice(0, -digits)}.${text.slice(-digits)}` : text;
	return `${amount < 0 ? '-' : ''}${decimal}`;
}

/** A formatter for money in a locale, e.g. 8900 EUR → "89,00 €" in French. */
export function moneyFormatter(locale: string) {
	const cache = new Map<string, Intl.NumberFormat>();
	return (amount: number, currency: string): string => {
		let format = cache.get(currency);
		if (!format) {
			const digits = currencyExponent(currency);
			format = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
			cache.set(currency, format);
		}
		// Intl.NumberFormat takes a decimal string exactly.
		return format.format(minorToDecimal(amount, currency) as unknown as number);
	};
}
