import { expect, test } from '@playwright/test';
import { demoLink, expectAccessible, newOrder } from './helpers';

const path = (url: string) => new URL(url).pathname;

test.describe('a customer with a return link', () => {
	test('sees their order and its returnable items', async ({ page, request }) => {
		const order = await newOrder(request, 'E2E-CUST-1', 'Straight jeans');
		await page.goto(order.path);
		await expect(page.getByRole('heading', { level: 1 })).toContainText(order.orderNumber);
		await expect(page.getByRole('heading', { name: 'Items in this order' })).toBeVisible();
		await expect(page.getByText(/jean/i).first()).toBeVisible();
		await expect(page.getByText(/You can return/).first()).toBeVisible();
		await expectAccessible(page);
	});

	test('with a tampered link gets a plain refusal that leaks nothing', async ({ page }) => {
		const link = demoLink('jeans-too-small');
		const token = path(link.url).split('/').pop()!;
		const tampered = token.slice(0, 10) + (token[10] === 'A' ? 'B' : 'A') + token.slice(11);
		const response = await page.goto(`/r/${tampered}`);
		expect(response?.status()).toBe(404);
		await expect(page.getByRole('heading', { name: 'This link is not valid' })).toBeVisible();
		const body = await page.content();
		expect(body).not.toContain(link.orderNumber);
		expect(body).not.toContain(link.email);
		await expectAccessible(page);
	});

	test('opens an order delivered long ago (its return window is the policy engine’s to judge)', async ({ page }) => {
		const link = demoLink('outside-window');
		await page.goto(path(link.url));
		await expect(page.getByRole('heading', { level: 1 })).toContainText(link.orderNumber);
		await expectAccessible(page);
	});
});

test.describe('order lookup', () => {
	test('finds an order by number and email, and refuses anything else with one message', async ({ page }) => {
		const link = demoLink('changed-mind');
		await page.goto('/');
		await expectAccessible(page);
		await page.getByLabel('Order number').fill(link.orderNumber);
		await page.getByLabel('Email address').fill('someone.else@example.com');
		await page.getByRole('button', { name: 'Find my order' }).click();
		await expect(page.getByText("We couldn't find an order with these details")).toBeVisible();
		await expectAccessible(page);

		await page.getByLabel('Order number').fill('#' + link.orderNumber);
		await page.getByLabel('Email address').fill(link.email.toUpperCase());
		await page.getByRole('button', { name: 'Find my order' }).click();
		await expect(page).toHaveURL(/\/r\/[A-Za-z0-9_-]+$/);
		await expect(page.getByRole('heading', { level: 1 })).toContainText(link.orderNumber);
	});

	test.describe('without JavaScript', () => {
		test.use({ javaScriptEnabled: false });
		test('still works as plain HTML forms', async ({ page }) => {
			const link = demoLink('damaged');
			await page.goto('/');
			await page.getByLabel('Order number').fill(link.orderNumber);
			await page.getByLabel('Email address').fill(link.email);
			await page.getByRole('button', { name: 'Find my order' }).click();
			await expect(page.getByRole('heading', { level: 1 })).toContainText(link.orderNumber);
		});
	});
});

test.describe('in French', () => {
	test('the switcher turns the portal into French and remembers it', async ({ page }) => {
		await page.goto('/');
		await page.getByRole('button', { name: 'Français' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Retourner un article');
		await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
		await expectAccessible(page);
		const link = demoLink('withdrawal');
		await page.goto(path(link.url));
		await expect(page.getByRole('heading', { name: 'Articles de la commande' })).toBeVisible();
		await expectAccessible(page);
		await page.getByRole('button', { name: 'English' }).click();
		await expect(page.getByRole('heading', { name: 'Items in this order' })).toBeVisible();
	});

	test.describe('with a French browser', () => {
		test.use({ locale: 'fr-FR' });
		test('is French from the first page', async ({ page }) => {
			await page.goto('/');
			await expect(page.getByRole('heading', { level: 1 })).toHaveText('Retourner un article');
		});
	});
});

test.describe('on a phone', () => {
	test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
	test('the order page fits the screen', async ({ page }) => {
		await page.goto(path(demoLink('cable-incompatible').url));
		const width = await page.evaluate(() => document.documentElement.scrollWidth);
		expect(width).toBeLessThanOrEqual(390);
		await expectAccessible(page);
	});
});
