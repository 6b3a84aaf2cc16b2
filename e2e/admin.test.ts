import { expect, test } from '@playwright/test';
import { demo, expectAccessible, signIn } from './helpers';

test.describe('the shop owner', () => {
	test('is sent to sign-in, signs in, and sees the orders', async ({ page }) => {
		await page.goto('/admin/orders');
		await expect(page).toHaveURL(/\/login\?next=/);
		await expectAccessible(page);
		await signIn(page);
		await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
		const rows = page.getByRole('row');
		expect(await rows.count()).toBeGreaterThan(10);
		await expectAccessible(page);
		// An order's page: its lines and its return link.
		await page.getByRole('row').nth(1).getByRole('link').first().click();
		await expect(page).toHaveURL(/\/admin\/orders\/[0-9a-f-]{36}$/);
		await expect(page.getByText(/\/r\/[A-Za-z0-9_-]{20,}/).first()).toBeVisible();
		await expectAccessible(page);
	});

	test('creates an API key that works once shown, and revokes it', async ({ page, request }) => {
		await signIn(page);
		await page.goto('/admin/api-keys');
		await expectAccessible(page);
		await page.getByLabel('Name').fill('Warehouse sync');
		await page.getByRole('button', { name: 'Create key' }).click();
		await expect(page.getByText('The key “Warehouse sync” is ready.')).toBeVisible();
		const key = (await page.getByLabel('Your new API key').inputValue()).trim();
		expect(key).toMatch(/^rtr_live_[a-z0-9]{32}$/);
		await expectAccessible(page);

		const ok = await request.get('/api/v1/orders/does-not-exist', { headers: { authorization: `Bearer ${key}` } });
		expect(ok.status()).toBe(404);

		await page.reload();
		await expect(page.getByText(key)).toHaveCount(0); // shown once, never again
		const row = page.getByRole('row', { name: /Warehouse sync/ });
		await row.getByRole('button', { name: /Revoke/ }).click();
		await expect(page.getByRole('heading', { name: 'Revoke the key “Warehouse sync”?' })).toBeVisible();
		await expectAccessible(page);
		await page.getByRole('button', { name: 'Yes, revoke it' }).click();
		await expect(page.getByText('The key “Warehouse sync” is revoked.')).toBeVisible();
		const refused = await request.get('/api/v1/orders/does-not-exist', { headers: { authorization: `Bearer ${key}` } });
		expect(refused.status()).toBe(401);
	});

	test('imports past orders and returns from CSV, and sees every problem of a bad file', async ({ page }) => {
		await signIn(page);
		await page.goto('/admin/imports');
		await expectAccessible(page);
		const orders = [
			'order_number,ordered_at,delivered_at,email,currency,sku,title,quantity,unit_price,vat_rate,ship_name,ship_line1,ship_postal_code,ship_city,ship_country',
			'H-9001,2026-03-02T10:00:00Z,2026-03-05,history.one@example.com,EUR,HIST-1,Old jacket,1,120.00,20,Jo Martin,1 rue Vieille,75003,Paris,FR',
			'H-9001,2026-03-02T10:00:00Z,2026-03-05,history.one@example.com,EUR,HIST-2,Old scarf,2,"19,50",20,Jo Martin,1 rue Vieille,75003,Paris,FR'
		].join('\n');
		const ordersForm = page.locator('form').filter({ has: page.getByRole('button', { name: 'Import orders' }) });
		await ordersForm.getByLabel('CSV file').setInputFiles({ name: 'history.csv', mimeType: 'text/csv', buffer: Buffer.from(orders) });
		await ordersForm.getByRole('button', { name: 'Import orders' }).click();
		await expect(page.getByText(/history\.csv: 2 rows imported/)).toBeVisible();

		const returns = ['order_number,sku,quantity,reason_code,requested_at,status,closed_at', 'H-9001,HIST-1,1,too_small,2026-03-08,refunded,2026-03-15'].join('\n');
		const returnsForm = page.locator('form').filter({ has: page.getByRole('button', { name: 'Import returns' }) });
		await returnsForm.getByLabel('CSV file').setInputFiles({ name: 'returns.csv', mimeType: 'text/csv', buffer: Buffer.from(returns) });
		await returnsForm.getByRole('button', { name: 'Import returns' }).click();
		await expect(page.getByText(/returns\.csv: 1 rows? imported/)).toBeVisible();

		const bad = [
			'order_number,ordered_at,email,currency,sku,title,quantity,unit_price,vat_rate,ship_name,ship_line1,ship_postal_code,ship_city,ship_country',
			'H-9002,2026-03-02T10:00:00Z,not-an-email,EUR,HIST-3,Hat,1,30.00,20,Jo,1 rue,75003,Paris,FR',
			'H-9003,yesterday,jo@example.com,EUR,HIST-4,Belt,0,25.00,20,Jo,1 rue,75003,Paris,FR'
		].join('\n');
		await ordersForm.getByLabel('CSV file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
		await ordersForm.getByRole('button', { name: 'Import orders' }).click();
		await expect(page.getByText(/Nothing was imported from bad\.csv/)).toBeVisible();
		const problems = page.getByRole('table').filter({ hasText: 'Problem' }).first();
		await expect(problems).toContainText('email');
		await expect(problems).toContainText('ordered_at');
		await expect(problems).toContainText('quantity');
		await expectAccessible(page);

		await page.goto('/admin/orders?q=H-9001');
		await expect(page.getByText('H-9001').first()).toBeVisible();
		await page.goto('/admin/orders?q=H-9002');
		await expect(page.getByText('H-9002')).toHaveCount(0);
	});

	test('reads the admin in French', async ({ page }) => {
		await signIn(page);
		await page.getByRole('button', { name: 'Français' }).click();
		await expect(page.getByRole('navigation').getByRole('link', { name: 'Commandes' })).toBeVisible();
		// The French menu is longer than the English one: on a laptop screen every entry is still in sight.
		const nav = page.getByRole('navigation', { name: 'Administration' });
		const menu = (await nav.boundingBox())!;
		const links = nav.getByRole('link');
		expect(await links.count()).toBeGreaterThanOrEqual(10);
		for (const link of await links.all()) {
			const box = (await link.boundingBox())!;
			expect(box.x + box.width, await link.innerText()).toBeLessThanOrEqual(menu.x + menu.width);
		}
		await expectAccessible(page);
		await page.getByRole('button', { name: 'English' }).click();
	});
});

test('a signed-out visitor cannot use an admin action', async ({ request }) => {
	// As a plain HTML form would post it…
	const response = await request.post('/admin/api-keys?/create', {
		form: { name: 'sneaky' },
		headers: { origin: demo().url, accept: 'text/html' },
		maxRedirects: 0
	});
	expect(response.status()).toBe(303);
	expect(response.headers()['location']).toMatch(/^\/login/);
	// …and as use:enhance would.
	const enhanced = await request.post('/admin/api-keys?/create', { form: { name: 'sneaky' }, headers: { origin: demo().url } });
	expect(await enhanced.json()).toMatchObject({ type: 'redirect', location: expect.stringMatching(/^\/login/) });
});

test('a form posted from another site is refused', async ({ request }) => {
	const response = await request.post('/login', {
		form: { email: demo().admin.email, password: demo().admin.password },
		headers: { origin: 'https://evil.example', accept: 'text/html' },
		maxRedirects: 0
	});
	expect(response.status()).toBe(403);
});

test('an admin keeps the devices list for compatibility answers', async ({ page }) => {
	await signIn(page);
	await page.goto('/admin/devices');
	await expectAccessible(page);
	await page.getByRole('searchbox').or(page.getByLabel('Search devices')).first().fill('pixel');
	await page.getByRole('button', { name: 'Search' }).click();
	await expect(page.getByRole('link', { name: 'Google Pixel 8' })).toBeVisible();
	await expect(page.getByRole('link', { name: /iPhone/ })).toHaveCount(0);

	await page.getByLabel('Brand').fill('Nothing');
	await page.getByLabel('Model').fill('Phone (2)');
	await page.getByLabel('Ports').fill('usb-c');
	await page.getByLabel('Maximum charging power (W)').fill('lots');
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByText('Enter a whole number of watts from 1 to 500')).toBeVisible();
	await expectAccessible(page);
	await page.getByLabel('Maximum charging power (W)').fill('45');
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByText('Device saved.')).toBeVisible();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Edit Nothing Phone (2)');
	await expectAccessible(page);
});
