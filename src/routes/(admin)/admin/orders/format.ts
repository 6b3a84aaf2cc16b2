import { moneyFormatter as formatter } from '$lib/money';

/** Display helpers for the orders pages (run in the browser too, so no server imports). */
export function moneyFormatter(locale: string) {
	const format = formatter(locale);
	return (money: { amount: number; currency: string }) => format(money.amount, money.currency);
}

export function rateFormatter(locale: string) {
	const format = new Intl.NumberFormat(locale, { maximumFractionDigits: 3 });
	return (rate: number) => format.format(rate);
}
