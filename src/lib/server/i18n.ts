import { defineCustomServerStrategy, isLocale, type Locale } from '$lib/paraglide/runtime';

/**
 * The shop's locale for a request (the signed-in member's shop, or the shop of the order a return link
 * opens). Paraglide asks for it after the visitor's own choice and the browser's languages.
 */
const shopLocales = new WeakMap<Request, Locale>();

export function setShopLocale(request: Request, locale: string | null | undefined) {
	if (locale && isLocale(locale)) shopLocales.set(request, locale);
}

defineCustomServerStrategy('custom-shop', {
	getLocale: (request) => (request ? shopLocales.get(request) : undefined)
});

export const LOCALE_COOKIE = 'retour_locale';
