import { expect, test, type Page } from '@playwright/test';
import { demoLink, expectAccessible, newOrder } from './helpers';

/**
 * The return conversation, as customers go through it from the link in their order email: one test per demo
 * scenario, on a phone, in French, and without JavaScript. Each press, pick or typed answer is counted.
 */

const path = (url: string) => new URL(url).pathname;
const PHONE = { width: 390, height: 844 };
// A 1×1 PNG: what a phone's photo is, by its first bytes.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/** A customer's hands: every press, pick or typed answer counts as one interaction. */
function customer(page: Page) {
	let interactions = 0;
	return {
		get interactions() {
			return interactions;
		},
		async press(name: string | RegExp) {
			interactions++;
			await page.getByRole('button', { name, exact: typeof name === 'string' }).first().click();
		},
		async pick(label: string | RegExp, option: string) {
			interactions++;
			await page.getByLabel(label).selectOption({ label: option });
		},
		async type(label: string | RegExp, text: string) {
			interactions++;
			await page.getByLabel(label).fill(text);
		}
	};
}

/** The assistant's newest words. */
const lastSaid = (page: Page) => page.locator('main ol[aria-live] > li').last().locator('p').last();

test.describe('on a phone', () => {
	test.use({ viewport: PHONE });

	test('changed my mind: the refund is reached past the offers, with a label, in five interactions', async ({ page }) => {
		await page.goto(path(demoLink('changed-mind').url));
		await expect(page.getByText('Step 1 of 6: Items')).toBeVisible();
		await expectAccessible(page);
		const you = customer(page);
		// One item in the order: it is already ticked.
		await expect(page.getByRole('checkbox')).toBeChecked();
		await you.press('Continue');
		await you.press('Changed my mind');
		await expect(page.getByText('Step 4 of 6: Options')).toBeVisible();
		const refund = page.getByRole('button', { name: /^No thanks, I’d like a refund — Refund of €\d+\.\d\d to your original payment$/ });
		await expect(refund).toBeVisible();
		await expectAccessible(page);
		await you.press(/^No thanks, I’d like a refund/);
		await you.press('A prepaid label');
		await expect(lastSaid(page)).toContainText(/Here is your return: 1 × .*Refund of €\d+\.\d\d to your original payment\. A prepaid label\. Shall I confirm it\?/);
		await you.press('Confirm my return');
		await expect(lastSaid(page)).toHaveText(/Your return is confirmed\./);
		expect(you.interactions).toBeLessThanOrEqual(5);
		// The same link now shows the return, its outcome and its history.
		await expect(page.getByRole('heading', { name: /^Return R-/ })).toBeVisible();
		await expect(page.getByText(/Refund of €\d+\.\d\d · Prepaid label/)).toBeVisible();
		await expect(page.getByText('Return requested')).toBeVisible();
		await expect(page.getByRole('button', { name: 'Cancel this return' })).toBeVisible();
		await expectAccessible(page);
		// Reloading resumes, never resubmits.
		await page.reload();
		await expect(page.getByRole('heading', { name: /^Return R-/ })).toHaveCount(1);
		// Within the policy it is accepted at once, and the job queue makes its label in a moment.
		await expect(page.getByText('Return accepted')).toBeVisible();
		const download = page.getByRole('link', { name: 'Download the label (PDF)' });
		await expect(async () => {
			await page.reload();
			await expect(download).toBeVisible({ timeout: 500 });
		}).toPass({ timeout: 20_000 });
		await expectAccessible(page);
		const pdf = await page.request.get((await download.getAttribute('href'))!);
		expect(pdf.headers()['content-type']).toBe('application/pdf');
		expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
	});

	test('a cable that does not fit the phone: the device check settles it, nothing goes back', async ({ page }) => {
		await page.goto(path(demoLink('cable-incompatible').url));
		const you = customer(page);
		await you.press('Continue');
		await you.press('Incompatible with my device');
		await expect(lastSaid(page)).toHaveText('Which device do you use it with?');
		await expectAccessible(page);
		await you.pick('Which device do you use it with?', 'Samsung Galaxy S23');
		await you.press('Continue');
		await expect(page.getByText(/^It fits: its USB-C end fits your Samsung Galaxy S23/)).toBeVisible();
		// The refund is still there, plainly labelled, beside the fix.
		await expect(page.getByRole('button', { name: /^No thanks, I’d like a refund/ })).toBeVisible();
		await you.press('Good to know — I’ll keep it');
		await expect(lastSaid(page)).toHaveText('Glad that solves it! Nothing needs to go back.');
		await expect(page.getByRole('heading', { name: /^Return R-/ })).toHaveCount(0);

		// For a phone it does not fit, the shop's cable that does is the exchange on offer.
		await page.getByRole('link', { name: 'Return other items' }).click();
		await you.press('Continue');
		await you.press('Incompatible with my device');
		await you.pick('Which device do you use it with?', 'Apple iPhone 13');
		await you.press('Continue');
		await expect(page.getByText(/^It does not fit: it needs a USB-C port, and your Apple iPhone 13 has Lightning/)).toBeVisible();
		await expect(page.getByRole('button', { name: /^Exchange for another product: .*Lightning/ })).toBeVisible();
		await expectAccessible(page);
	});

	test('damaged on arrival: a photo is sent with the return', async ({ page }) => {
		await page.goto(path(demoLink('damaged').url));
		const you = customer(page);
		await you.press('Continue');
		await you.press('Arrived damaged');
		await expect(lastSaid(page)).toContainText('A photo helps us sort it out quickly');
		await expectAccessible(page);
		await page.getByLabel(/^Photos/).setInputFiles({ name: 'crack.png', mimeType: 'image/png', buffer: PNG });
		await you.press('Send the photos');
		await expect(page.getByText('1 photo', { exact: true })).toBeVisible();
		await expect(page.getByText('Step 4 of 6: Options')).toBeVisible();
		await you.press(/^No thanks, I’d like a refund/);
		await you.press('A prepaid label');
		await you.press('Confirm my return');
		await expect(lastSaid(page)).toHaveText('Your return is confirmed.');
	});
});

test.describe('in French', () => {
	test.use({ locale: 'fr-FR' });

	test('a jean too small: exchanged for the next size up', async ({ page }) => {
		await page.goto(path(demoLink('jeans-too-small').url));
		await expect(page.getByRole('heading', { name: 'Retourner des articles' })).toBeVisible();
		const you = customer(page);
		await you.press('Continuer');
		await you.type('Ou dites-le avec vos mots', 'il est trop serré à la taille, je ne peux pas le fermer');
		await you.press('Envoyer');
		await expect(lastSaid(page)).toHaveText('Quelle taille vous irait ?');
		await expectAccessible(page);
		await you.press('Je ne sais pas — proposez-m’en une');
		await expect(page.getByText(/^Je vous propose alors W32\.$/)).toBeVisible();
		await you.press('Échange contre la taille W32');
		await you.press('Un QR code à présenter en point relais');
		await expect(lastSaid(page)).toContainText('Échange contre la taille W32. Un QR code à présenter en point relais. Je le confirme ?');
		await you.press('Confirmer mon retour');
		await expect(lastSaid(page)).toHaveText('Votre retour est confirmé.');
		await expect(page.getByText('Échange contre une autre taille ou couleur · QR code pour point relais')).toBeVisible();
		await expectAccessible(page);
	});

	test('outside the window: a clear, polite refusal with its reason', async ({ page }) => {
		await page.goto(path(demoLink('outside-window').url));
		const you = customer(page);
		await you.press('Continuer');
		await you.press('J’ai changé d’avis');
		await expect(lastSaid(page)).toHaveText(/^Désolé, ces articles ne peuvent pas être retournés\. .*75 jours/);
		// No dead end: the conversation is over, but nothing is hidden and no button leads nowhere.
		await expect(page.getByRole('button', { name: 'Confirmer mon retour' })).toHaveCount(0);
		await expectAccessible(page);
	});
});

test('withdrawal: the button on the order page, one confirmation, an acknowledgement with date and time', async ({ page }) => {
	await page.goto(path(demoLink('withdrawal').url));
	await expect(page.getByRole('heading', { name: 'Your right of withdrawal' })).toBeVisible();
	const you = customer(page);
	await you.press('Withdraw from contract here');
	await expect(lastSaid(page)).toHaveText('You are withdrawing from your purchase. No reason is needed.');
	// No offers and no reason questions on this path.
	await expect(page.getByRole('button', { name: /Exchange|Store credit|Changed my mind/ })).toHaveCount(0);
	await you.press('Confirm withdrawal');
	await expect(lastSaid(page)).toHaveText(/^Your withdrawal is recorded on \d{1,2} \w+ \d{4}(,| at) \d{2}:\d{2}\. We have emailed you this acknowledgement\.$/);
	expect(you.interactions).toBe(2);
	await expect(page.getByText('Withdrawal', { exact: false }).first()).toBeVisible();
	await expectAccessible(page);
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('the whole flow works as plain HTML forms, in five interactions', async ({ page, request }) => {
		await page.goto((await newOrder(request, 'E2E-NOJS-1')).path);
		const you = customer(page);
		await you.press('Continue');
		await expect(page).toHaveURL(/#latest$/);
		await you.press('Changed my mind');
		await you.press(/^No thanks, I’d like a refund/);
		await you.press('A drop-off QR code');
		await you.press('Confirm my return');
		await expect(lastSaid(page)).toHaveText('Your return is confirmed.');
		expect(you.interactions).toBe(5);
		// Reloading after a post does not submit again.
		await page.reload();
		await expect(page.getByRole('heading', { name: /^Return R-/ })).toHaveCount(1);
		await you.press('Cancel this return');
		await expect(page.getByText('Cancelled').first()).toBeVisible();
	});
});
