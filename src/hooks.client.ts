import { defineCustomClientStrategy } from '$lib/paraglide/runtime';

// In the browser the page's language is the one the server chose (visitor's choice, browser, shop), so
// hydration never switches language.
defineCustomClientStrategy('custom-shop', {
	getLocale: () => document.documentElement.lang || undefined,
	setLocale: () => {}
});
