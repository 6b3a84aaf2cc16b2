import fs from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type APIRequestContext, type Page } from '@playwright/test';

export interface Demo {
	url: string;
	admin: { email: string; password: string };
	apiKey: string;
	returnLinks: { scenario: string; url: string; orderNumber: string; email: string }[];
}

/** What the server wrote on its first start into its throwaway DATA_DIR. */
export function demo(): Demo {
	return JSON.parse(fs.readFileSync(path.join(process.env.E2E_DATA_DIR!, 'demo.json'), 'utf8'));
}

export function demoLink(scenario: string) {
	const link = demo().returnLinks.find((l) => l.scenario === scenario);
	if (!link) throw new Error(`demo.json has no scenario ${scenario}`);
	return link;
}

/** WCAG 2.1 AA, as axe checks it, on the page as it is now. */
export async function expectAccessible(page: Page) {
	const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
	expect(result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

export async function signIn(page: Page) {
	const { admin } = demo();
	await page.goto('/login');
	await page.getByLabel(/e-?mail/i).fill(admin.email);
	await page.getByLabel(/password|mot de passe/i).fill(admin.password);
	await page.getByRole('button', { name: /sign in|se connecter/i }).click();
	await expect(page).toHaveURL(/\/admin/);
}

/**
 * A delivered order through the shop API, for tests that must not depend on what other tests did with the demo
 * scenarios' orders; `street` gives it an address of its own (orders sharing an address are linked accounts to the
 * risk score). Answers its number, its customer's email and the path of its return link.
 */
export async function postOrder(
	request: APIRequestContext,
	number: string,
	lines: { title: string; quantity: number; price: number }[],
	street = '3 rue de Test'
): Promise<{ orderNumber: string; email: string; path: string }> {
	const eur = (amount: number) => ({ amount, currency: 'EUR' });
	const email = `${number.toLowerCase()}@example.com`;
	const response = await request.post('/api/v1/orders', {
		headers: { authorization: `Bearer ${demo().apiKey}` },
		data: {
			externalId: `e2e-${number}`,
			orderNumber: number,
			currency: 'EUR',
			locale: 'en',
			customer: { email },
			shippingAddress: { name: 'Alex Test', line1: street, postalCode: '33000', city: 'Bordeaux', country: 'FR' },
			lines: lines.map((l, i) => ({ externalId: `l${i + 1}`, title: l.title, quantity: l.quantity, unitPrice: eur(l.price), vatRate: 20 })),
			orderedAt: new Date(Date.now() - 6 * 86_400_000).toISOString(),
			deliveredAt: new Date(Date.now() - 3 * 86_400_000).toISOString()
		}
	});
	expect(response.status()).toBe(201);
	return { orderNumber: number, email, path: new URL((await response.json()).returnLink).pathname };
}

/** A fresh delivered order of one item (a T-shirt unless told). */
export async function newOrder(request: APIRequestContext, number: string, title = 'Organic cotton T-shirt'): Promise<{ orderNumber: string; path: string }> {
	const { orderNumber, path } = await postOrder(request, number, [{ title, quantity: 1, price: 2990 }]);
	return { orderNumber, path };
}
