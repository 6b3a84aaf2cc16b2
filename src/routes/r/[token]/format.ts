/** Money in minor units, in the page's language: the currency's own exponent (EUR 2, JPY 0). */
export function formatMoney(minor: number, currency: string, locale: string): string {
	const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
	const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
	return format.format(minor / 10 ** digits);
}

/** A day in the shop's time zone, so the server's rendering and the browser's agree. */
export function formatDate(date: Date, locale: string, timeZone: string): string {
	return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone }).format(date);
}
