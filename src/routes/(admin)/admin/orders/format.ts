/**
 * Display helpers for the orders pages (run in the browser too, so no server imports). Intl knows each
 * currency's minor unit, so integer minor units become a decimal without a float: 8900 EUR → "89,00 €".
 */
export function moneyFormatter(locale: string) {
	const cache = new Map<string, Intl.NumberFormat>();
	return (money: { amount: number; currency: string }) => {
		let format = cache.get(money.currency);
		if (!format) {
			format = new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency });
			cache.set(money.currency, format);
		}
		const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
		const negative = money.amount < 0;
		const text = Math.abs(money.amount).toString().padStart(digits + 1, '0');
		const decimal = digits ? `${text.slice(0, -digits)}.${text.slice(-digits)}` : text;
		// Intl.NumberFormat takes a decimal string exactly (no binary rounding on the way).
		return format.format(`${negative ? '-' : ''}${decimal}` as unknown as number);
	};
}

export function rateFormatter(locale: string) {
	const format = new Intl.NumberFormat(locale, { maximumFractionDigits: 3 });
	return (rate: number) => format.format(rate);
}
