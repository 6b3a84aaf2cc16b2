import { expect, test } from '@playwright/test';
import { expectAccessible, signIn } from './helpers';

test('the owner invites a staff member, who joins through the emailed link with staff rights only', async ({ page, browser }) => {
	await signIn(page);
	await page.goto('/admin/team');
	await expectAccessible(page);
	await page.locator('#invite-email').fill('new.staff@example.com');
	await page.getByLabel('Role').selectOption('staff');
	await page.getByRole('button', { name: 'Send the invitation' }).click();
	await expect(page.getByText('Invitation sent to new.staff@example.com')).toBeVisible();

	// No SMTP here: the email waits in the outbox, which the owner can read.
	await page.goto('/admin/outbox');
	await expectAccessible(page);
	await page.getByRole('row', { name: /new\.staff@example\.com/ }).getByRole('link').first().click();
	await expect(page).toHaveURL(/\/admin\/outbox\/[0-9a-f-]{36}$/);
	await expectAccessible(page);
	const body = await page.locator('main').innerText();
	const link = /https?:\/\/\S+\/invite\/[a-z0-9]+/.exec(body)?.[0];
	expect(link).toBeTruthy();

	const staff = await browser.newContext();
	const staffPage = await staff.newPage();
	await staffPage.goto(new URL(link!).pathname);
	await expectAccessible(staffPage);
	await staffPage.getByLabel('Your name').fill('Noa Staff');
	await staffPage.getByLabel(/^Password/).fill('a-long-staff-passphrase');
	await staffPage.getByRole('button', { name: 'Accept and join' }).click();
	await expect(staffPage).toHaveURL(/\/admin/);
	await expect(staffPage.getByRole('navigation').getByRole('link', { name: 'Orders' })).toBeVisible();
	await expect(staffPage.getByRole('navigation').getByRole('link', { name: 'API keys' })).toHaveCount(0);
	const forbidden = await staffPage.goto('/admin/api-keys');
	expect(forbidden?.status()).toBe(403);
	await staff.close();
});

test('sign-in refuses a wrong password without saying which field was wrong', async ({ page }) => {
	await page.goto('/login');
	await page.getByLabel('Email address').fill('owner@demo.retour.test');
	await page.getByLabel('Password').fill('wrong-password-123');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByText('Email or password is incorrect', { exact: false })).toBeVisible();
	await expectAccessible(page);
});
