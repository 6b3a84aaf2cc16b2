import { expect, test } from '@playwright/test';
import { demoLink, expectAccessible, newOrder, signIn } from './helpers';

test.describe('the return policy editor', () => {
	test('edits the policy with clear errors, previews it on a past order, simulates it, activates and rolls back', async ({ page, request }) => {
		test.setTimeout(90_000);
		await signIn(page);
		await page.goto('/admin/policy');
		await expect(page.getByRole('heading', { name: /Live policy/ })).toContainText('Version 2');
		await expectAccessible(page);

		await page.getByRole('link', { name: 'Edit the policy' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Edit the policy');
		await page.locator('[name="defaults.windowDays"]').fill('45');
		await page.getByRole('button', { name: 'Add a rule' }).click();
		const rule = page.getByRole('group', { name: 'Rule 6' });
		await expect(rule).toBeVisible();
		await expect(page.locator('[name="defaults.windowDays"]')).toHaveValue('45'); // what was typed survives
		await rule.locator('[name="rules[5].then.restockingFee"]').fill('dix');
		await page.getByRole('button', { name: 'Save as a new version' }).click();
		await expect(page.getByText('Some fields need your attention')).toBeVisible();
		await expect(rule.getByText('Required.')).toBeVisible();
		await expect(rule.getByText('Enter a percentage like 12.5.')).toBeVisible();
		await expect(rule.locator('[name="rules[5].name"]')).toHaveAttribute('aria-invalid', 'true');
		await expectAccessible(page);

		await rule.locator('[name="rules[5].name"]').fill('Opened electronics');
		await rule.locator('[name="rules[5].when.categories"]').fill('electronics');
		await rule.locator('[name="rules[5].when.itemConditions"][value="opened"]').check();
		await rule.locator('[name="rules[5].then.restockingFee"]').fill('10');
		await page.getByRole('button', { name: 'Save as a new version' }).click();
		await expect(page).toHaveURL(/\/admin\/policy\/versions\/[0-9a-f-]{36}\?saved=1$/);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Policy version 3');
		await expect(page.getByText('Saved as version 3. It is a draft')).toBeVisible();
		await expect(page.getByText('Return window (days after delivery): 30 days → 45 days')).toBeVisible();
		await expect(page.getByText('Rule “Opened electronics” added')).toBeVisible();
		await expectAccessible(page);

		// Preview: the order delivered 75 days ago is still outside the longer window; a recent one is quoted.
		await page.getByLabel('Order number').fill(demoLink('outside-window').orderNumber);
		await page.getByRole('button', { name: 'Preview' }).click();
		await expect(page.getByText(/Not eligible: delivered 75 days ago, after the 45-day window\./).first()).toBeVisible();
		await page.getByLabel('Order number').fill((await newOrder(request, 'E2E-POLICY-1', 'Straight jeans')).orderNumber);
		await page.getByLabel('Reason').selectOption('too_small');
		await page.getByRole('button', { name: 'Preview' }).click();
		const quotes = page.getByRole('table').last();
		await expect(quotes.getByRole('row', { name: /Refund to the original payment/ })).toBeVisible();
		await expect(quotes.getByRole('row', { name: /Store credit/ })).toContainText('+'); // the 10 % bonus
		await expectAccessible(page);

		await page.getByRole('link', { name: 'Simulate against the live policy' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Simulation of version 3');
		await expect(page.getByText(/returns simulated in \d+ ms/)).toBeVisible();
		await expect(page.getByRole('row', { name: /Estimated cost of returns/ })).toContainText('€');
		await expectAccessible(page);

		await page.getByRole('link', { name: /Policy version 3/ }).click();
		await page.getByRole('button', { name: 'Activate this version' }).click();
		await expect(page.getByText('Version 3 is now live.')).toBeVisible();
		await page.goto('/admin/policy');
		await expect(page.getByRole('heading', { name: /Live policy/ })).toContainText('Version 3');
		await page.getByRole('link', { name: 'v2', exact: true }).click();
		await page.getByRole('button', { name: 'Roll back to this version' }).click();
		await expect(page.getByText('Version 2 is now live.')).toBeVisible();
		await page.goto('/admin/policy');
		await expect(page.getByText(/owner@demo\.retour\.test rolled back to version 2/)).toBeVisible();
	});

});

test.describe('the return policy editor without JavaScript, in French', () => {
	test.use({ javaScriptEnabled: false, locale: 'fr-FR' });

	test('adds, moves and removes rules by plain forms, keeping what was typed, and explains errors', async ({ page }) => {
		await signIn(page);
		await page.goto('/admin/policy/edit');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Modifier la politique');
		await page.locator('[name="defaults.windowDays"]').fill('60');
		await page.getByRole('button', { name: 'Ajouter une règle' }).click();
		await expect(page.getByRole('group', { name: 'Règle 6' })).toBeVisible();
		await expect(page.locator('[name="defaults.windowDays"]')).toHaveValue('60');
		await page.locator('[name="rules[5].name"]').fill('Grandes tailles');
		await page.getByRole('group', { name: /^Règle 6/ }).getByRole('button', { name: 'Monter' }).click();
		await expect(page.locator('[name="rules[4].name"]')).toHaveValue('Grandes tailles');
		await expect(page.locator('[name="rules[5].name"]')).toHaveValue('Discounted items: store credit before refund');
		await page.getByRole('group', { name: /^Règle 5/ }).getByRole('button', { name: 'Supprimer cette règle' }).click();
		await expect(page.locator('[name="rules[5].name"]')).toHaveCount(0);
		await expect(page.locator('[name="rules[4].name"]')).toHaveValue('Discounted items: store credit before refund');
		await page.locator('[name="defaults.windowDays"]').fill('-4');
		await page.getByRole('button', { name: 'Enregistrer comme nouvelle version' }).click();
		await expect(page.getByText('Ne doit pas être négatif.')).toBeVisible();
		await expect(page.locator('[name="defaults.windowDays"]')).toHaveAttribute('aria-invalid', 'true');
	});
});
