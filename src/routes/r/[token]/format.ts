import { moneyFormatter } from '$lib/money';

/** Money in minor units, in the page's language, with the currency's ISO 4217 exponent (EUR 2, JPY 0). */
export function formatMoney(minor: number, currency: string, locale: string): string {
	return moneyFormatter(locale)(minor, currency);
}

/** A day in the shop's time zone, so the server's rendering and the browser's agree. */
export function formatDate(date: Date, locale: string, timeZone: string): string {
	return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone }).format(date);
}
