import { describe, expect, it } from 'vitest';
import { extractLocaleFromRequestAsync } from '$lib/paraglide/runtime';
import { setShopLocale } from './i18n';

function request(headers: Record<string, string> = {}) {
	return new Request('http://localhost/r/some-token', { headers });
}

describe('choosing the language', () => {
	it("falls back to the shop's locale when neither the visitor nor the browser names one we have", async () => {
		const r = request({ 'accept-language': 'de-DE,de;q=0.9' });
		setShopLocale(r, 'fr');
		expect(await extractLocaleFromRequestAsync(r)).toBe('fr');
	});

	it("prefers the browser's languages to the shop's", async () => {
		const r = request({ 'accept-language': 'en-GB,en;q=0.9' });
		setShopLocale(r, 'fr');
		expect(await extractLocaleFromRequestAsync(r)).toBe('en');
	});

	it("prefers the visitor's own choice to everything", async () => {
		const r = request({ cookie: 'retour_locale=fr', 'accept-language': 'en' });
		setShopLocale(r, 'en');
		expect(await extractLocaleFromRequestAsync(r)).toBe('fr');
	});

	it('uses English when nothing is known', async () => {
		expect(await extractLocaleFromRequestAsync(request())).toBe('en');
	});
});
