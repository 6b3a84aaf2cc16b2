import {
	defineCustomServerStrategy,
	extractLocaleFromRequestWithStrategies,
	isLocale,
	type Locale
} from '$lib/paraglide/runtime';

/**
 * The shop's locale for a request (the signed-in member's shop, or the shop of the order a return link
 * opens). Paraglide asks for it after the visitor's own choice and the browser's languages.
 */
const shopLocales = new WeakMap<Request, Locale>();

export function setShopLocale(request: Request, locale: string | null | undefined) {
	if (locale && isLocale(locale)) shopLocales.set(request, locale);
}

// Paraglide asks custom strategies before its built-in ones, so this one asks the visitor's cookie and
// browser languages itself and answers with the shop's locale only when neither names a known locale.
defineCustomServerStrategy('custom-shop', {
	getLocale: (request) => {
		if (!request) return undefined;
		try {
			return extractLocaleFromRequestWithStrategies(request, ['cookie', 'preferredLanguage']);
		} catch {
			return shopLocales.get(request);
		}
	}
});

export const LOCALE_COOKIE = 'retour_locale';
