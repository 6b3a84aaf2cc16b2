import path from 'node:path';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { expectAccessible, postOrder, signIn } from './helpers';

/**
 * The team's day: the queue of returns that need a person, a return's page and its decisions, the customer's
 * answer to a question, search, a return made for a customer, the warehouse's inspection and the block list.
 * Each test makes its own orders (numbers unique to the run), so none depends on another or on the demo's.
 */

/**
 * Signed in once for the whole file: sign-ins are rate-limited per address (20 in 15 minutes), and the suite's
 * other files sign in too.
 */
const signedIn = path.join(process.env.E2E_DATA_DIR!, 'staff-session.json');
/** A browser of someone not signed in (a new context would otherwise take the file's session). */
const signedOut = { storageState: { cookies: [], origins: [] } };
test.beforeAll(async ({ browser }) => {
	const context = await browser.newContext(signedOut);
	await signIn(await context.newPage());
	await context.storageState({ path: signedIn });
	await context.close();
});
test.use({ storageState: signedIn });

/** An order number no other test (nor an earlier run against the same server) has used. */
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36).toUpperCase()}${Math.floor(Math.random() * 1296).toString(36).toUpperCase()}`;

/**
 * A delivered order shipped to an address of its own: orders sharing an address are linked accounts to the risk
 * score, and one test's empty box must not raise another's score.
 */
const orderWithLines = (request: APIRequestContext, number: string, lines: { title: string; quantity: number; price: number }[]) =>
	postOrder(request, number, lines, `${number} rue du Quai`);

/** The order's staff page, found as staff find it: by its number. */
async function openOrder(page: Page, number: string) {
	await page.goto(`/admin/orders?q=${encodeURIComponent(number)}`);
	await page.getByRole('link', { name: number, exact: true }).click();
	await expect(page).toHaveURL(/\/admin\/orders\/[0-9a-f-]{36}$/);
	await expect(page.getByRole('heading', { level: 1 })).toContainText(number);
}

/** Puts an email on the block list from its page: the shop's policy then sends the customer's returns to a person. */
async function blockEmail(page: Page, email: string, reason: string) {
	await page.goto('/admin/risk-lists');
	await page.getByLabel('Email address').fill(email);
	await page.getByLabel('Reason').fill(reason);
	await page.getByRole('button', { name: 'Add to the block list' }).click();
	await expect(page.getByText(`“${email}” is now on the block list.`)).toBeVisible();
}

/**
 * From the order's page, a return of every line (whole quantity) for the customer, as staff do on the phone;
 * lands on the new return's page and answers its RMA.
 */
async function returnForCustomer(page: Page, number: string, reason = 'Changed my mind') {
	await openOrder(page, number);
	await page.getByRole('link', { name: 'Create a return for the customer' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(`New return for order ${number}`);
	const items = page.getByRole('listitem').filter({ has: page.getByRole('checkbox') });
	for (const item of await items.all()) {
		await item.getByRole('checkbox').check();
		const quantity = item.getByLabel('Quantity');
		await quantity.fill(await quantity.getAttribute('max') ?? '1');
		await item.getByLabel('Reason', { exact: true }).selectOption({ label: reason });
	}
	await page.getByRole('button', { name: 'Create the return' }).click();
	await expect(page).toHaveURL(/\/admin\/returns\/[0-9a-f-]{36}$/);
	const heading = page.getByRole('heading', { level: 1 });
	await expect(heading).toHaveText(/^Return R-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
	return (await heading.textContent())!.replace('Return ', '').trim();
}

/** The top of a return's page: its decision and parcel badges. */
const statusOf = (page: Page) => page.locator('header').filter({ has: page.getByRole('heading', { level: 1 }) });

test.describe('a staff member', () => {
	test('finds a return to review in the queue, asks the customer a question, reads the answer and accepts it', async ({ browser, page, request }) => {
		test.setTimeout(90_000);
		const { orderNumber, email } = await orderWithLines(request, unique('E2E-ASK'), [{ title: 'Merino cardigan', quantity: 1, price: 8900 }]);
		await blockEmail(page, email, 'Three empty boxes last winter');
		const rma = await returnForCustomer(page, orderNumber);
		await expect(statusOf(page)).toContainText('Needs review');

		// The queue: the review chip, then the return found by its order and opened from the keyboard.
		await page.goto('/admin/returns');
		await expect(page.getByRole('heading', { level: 1, name: 'Returns to handle' })).toBeVisible();
		await expect(page.getByRole('row').filter({ hasText: 'Policy review' }).first()).toBeVisible();
		await expectAccessible(page);
		await page.getByRole('navigation', { name: 'Why it is here' }).getByRole('link', { name: /^Policy review/ }).click();
		await expect(page).toHaveURL(/why=policy_review/);
		await expect(page.getByRole('link', { name: /^Policy review/ })).toHaveAttribute('aria-current', 'page');
		await expect(page.getByRole('row').filter({ hasText: 'Waiting on the customer' })).toHaveCount(0);
		await page.getByLabel('RMA, order number or email').fill(orderNumber);
		await page.getByRole('button', { name: 'Apply' }).click();
		await expect(page).toHaveURL(new RegExp(`q=${orderNumber}`));
		await expect(page.getByText('In the queue: 1')).toBeVisible();
		// Out of the search field: there, letters are typed, not shortcuts.
		await page.getByRole('heading', { level: 1 }).click();
		await page.keyboard.press('j');
		await expect(page.getByRole('link', { name: rma })).toBeFocused();
		await page.keyboard.press('Enter');
		await expect(page).toHaveURL(/\/admin\/returns\/[0-9a-f-]{36}$/);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Return ${rma}`);

		// What the team decides with: the risk score and the history.
		const risk = page.getByRole('region', { name: 'Risk' });
		await expect(risk.getByText(/^Score \d+ \/ 100$/)).toBeVisible();
		const history = page.getByRole('region', { name: 'History' });
		await expect(history.getByText('Return requested')).toBeVisible();
		await expect(history.getByText('Risk scored')).toBeVisible();
		await expectAccessible(page);

		// Ask: `i` opens the question's form and puts the cursor in it.
		await page.keyboard.press('i');
		const question = page.getByLabel('Your question to the customer');
		await expect(question).toBeFocused();
		await question.fill('Could you tell us whether the label is still attached?');
		await page.locator('#panel-info').getByRole('button', { name: 'Ask for information' }).click();
		await expect(page.getByRole('status').filter({ hasText: 'Question sent to the customer.' })).toBeVisible();
		await expect(statusOf(page)).toContainText('Information requested');
		await expect(history.getByText('Could you tell us whether the label is still attached?')).toBeVisible();
		const returnUrl = page.url();

		// It now waits on the customer.
		await page.goto('/admin/returns?why=info_requested');
		await expect(page.getByRole('row').filter({ hasText: rma })).toContainText('Waiting on the customer');

		// The customer answers from the link of their order (the order page shows it to staff).
		await openOrder(page, orderNumber);
		const link = await page.getByRole('link', { name: /\/r\/[A-Za-z0-9_-]{20,}/ }).getAttribute('href');
		// In the customer's own browser: nothing of the staff's session.
		const customerContext = await browser.newContext(signedOut);
		const customer = await customerContext.newPage();
		await customer.goto(new URL(link!).pathname);
		await expect(customer.getByText('The team has a question for you about this return.')).toBeVisible();
		await expect(customer.getByText('Could you tell us whether the label is still attached?')).toBeVisible();
		await expectAccessible(customer);
		await customer.getByLabel('Your answer').fill('Yes, the label is still on, I never wore it.');
		await customer.getByRole('button', { name: 'Send my answer' }).click();
		await expect(customer.getByText('Thanks — the team will look at your answer.')).toBeVisible();
		await expect(customer.getByLabel('Your answer')).toHaveCount(0);
		await customerContext.close();

		// Back with the team: the answer in the conversation and the history, the return in review again.
		await page.goto(returnUrl);
		await expect(statusOf(page)).toContainText('Needs review');
		await expect(page.getByRole('region', { name: 'Conversation' }).getByText('Yes, the label is still on, I never wore it.')).toBeVisible();
		await expect(history.getByText('Yes, the label is still on, I never wore it.')).toBeVisible();
		await page.getByRole('button', { name: 'Accept', exact: true }).click();
		await expect(page.getByRole('status').filter({ hasText: 'Return accepted.' })).toBeVisible();
		await expect(statusOf(page)).toContainText('Accepted');
		await expect(page.getByRole('button', { name: 'Accept', exact: true })).toHaveCount(0);
		await expectAccessible(page);
	});

	test('answers a customer who asked for a person after their return: from the queue to the return, then out of the queue', async ({ browser, page, request }) => {
		test.setTimeout(90_000);
		const { orderNumber } = await orderWithLines(request, unique('E2E-CALL'), [{ title: 'Linen shirt', quantity: 1, price: 5900 }]);
		const rma = await returnForCustomer(page, orderNumber);
		await openOrder(page, orderNumber);
		const link = await page.getByRole('link', { name: /\/r\/[A-Za-z0-9_-]{20,}/ }).getAttribute('href');

		// The customer, in their own browser, asks for a person in the conversation of their order.
		const customerContext = await browser.newContext(signedOut);
		const customer = await customerContext.newPage();
		await customer.goto(new URL(link!).pathname);
		await customer.getByRole('button', { name: 'Talk to a person' }).click();
		await expect(customer.getByText('I have passed your request to the team')).toBeVisible();
		await customerContext.close();

		// The queue lists the return for it; its page shows the request and records the answer.
		await page.goto(`/admin/returns?why=handoff&q=${orderNumber}`);
		const row = page.getByRole('row').filter({ hasText: rma });
		await expect(row).toContainText('Asked for a person');
		await row.getByRole('link', { name: rma }).click();
		const panel = page.getByRole('region', { name: 'Conversation' });
		await expect(panel.getByRole('heading', { name: 'The customer asked for a person after this return' })).toBeVisible();
		await expect(panel.getByText(/^The customer asked for a person on /)).toBeVisible();
		await panel.locator('summary', { hasText: 'Mark as answered' }).click();
		await panel.getByRole('button', { name: 'Mark as answered' }).click();
		await expect(panel.getByRole('alert')).toHaveCount(0); // the browser asks for the note first (required)
		await panel.getByLabel('What did you tell the customer?').fill('Called her: the label is in her spam folder.');
		await panel.getByRole('button', { name: 'Mark as answered' }).click();
		await expect(page.getByRole('status').filter({ hasText: 'Marked as answered: the request has left the queue.' })).toBeVisible();
		await expect(panel.getByText(/^Answered by .+: Called her: the label is in her spam folder\.$/)).toBeVisible();
		await expect(page.getByRole('region', { name: 'History' }).getByText('Request for a person answered')).toBeVisible();
		await expectAccessible(page);

		await page.goto(`/admin/returns?why=handoff&q=${orderNumber}`);
		await expect(page.getByRole('row').filter({ hasText: rma })).toHaveCount(0);
	});

	test('declines a return with a reason, confirmed first, and the customer is emailed it', async ({ page, request }) => {
		const { orderNumber, email } = await orderWithLines(request, unique('E2E-DECLINE'), [{ title: 'Silk scarf', quantity: 1, price: 4500 }]);
		await blockEmail(page, email, 'Chargeback on an earlier order');
		const rma = await returnForCustomer(page, orderNumber);

		await page.keyboard.press('r');
		const reason = page.getByLabel('Why the return is declined');
		await expect(reason).toBeFocused();
		await reason.fill('The scarf was worn: its tag was cut off.');
		const decline = page.locator('#panel-reject').getByRole('button', { name: 'Decline' });
		// Thinking better of it: nothing is declined.
		page.once('dialog', (dialog) => dialog.dismiss());
		await decline.click();
		await expect(statusOf(page)).toContainText('Needs review');
		page.once('dialog', async (dialog) => {
			expect(dialog.message()).toBe(`Decline return ${rma}? The customer is emailed the reason.`);
			await dialog.accept();
		});
		await decline.click();
		await expect(page.getByRole('status').filter({ hasText: 'Return declined: the customer is emailed the reason.' })).toBeVisible();
		await expect(statusOf(page)).toContainText('Rejected');
		await expect(page.getByRole('region', { name: 'History' }).getByText(/The scarf was worn: its tag was cut off\./)).toBeVisible();

		// The email goes out through the job queue: it is in the outbox in a moment.
		await page.goto('/admin/outbox');
		const row = page.getByRole('row').filter({ hasText: email }).filter({ hasText: `About your return for order ${orderNumber}` });
		await expect(async () => {
			await page.reload();
			await expect(row).toBeVisible({ timeout: 500 });
		}).toPass({ timeout: 20_000 });
		await row.getByRole('link').click();
		await expect(page.getByText('The scarf was worn: its tag was cut off.').first()).toBeVisible();
		await expect(page.getByText(rma).first()).toBeVisible();
	});

	test('finds a return by its RMA, typed without dashes', async ({ page, request }) => {
		const { orderNumber } = await orderWithLines(request, unique('E2E-FIND'), [{ title: 'Organic cotton T-shirt', quantity: 1, price: 2990 }]);
		const rma = await returnForCustomer(page, orderNumber);
		await page.goto('/admin/search');
		await expectAccessible(page);
		await page.getByLabel('RMA, order number, email or name').fill(rma.replace(/-/g, '').toLowerCase());
		await page.getByRole('button', { name: 'Search' }).click();
		const returns = page.getByRole('region', { name: 'Returns' });
		await expect(returns.getByRole('link', { name: rma })).toBeVisible();
		await expect(returns).toContainText(`Order ${orderNumber}`);
		await expectAccessible(page);
		await returns.getByRole('link', { name: rma }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Return ${rma}`);

		await page.goto('/admin/search?q=R-ZZZZ-ZZZZ');
		await expect(page.getByText('Nothing found for “R-ZZZZ-ZZZZ”.')).toBeVisible();
	});

	test('creates a return for a customer from the order page and lands on it', async ({ page, request }) => {
		const { orderNumber } = await orderWithLines(request, unique('E2E-BEHALF'), [
			{ title: 'Canvas tote', quantity: 2, price: 2500 },
			{ title: 'Leather belt', quantity: 1, price: 4900 }
		]);
		await openOrder(page, orderNumber);
		await page.getByRole('link', { name: 'Create a return for the customer' }).click();
		await expectAccessible(page);
		// Nothing chosen: the form says what is missing, beside it.
		await page.getByRole('button', { name: 'Create the return' }).click();
		await expect(page.getByText('Choose at least one item to return.')).toBeVisible();

		const tote = page.getByRole('listitem').filter({ hasText: 'Return Canvas tote' });
		await tote.getByRole('checkbox').check();
		await tote.getByLabel('Quantity').fill('1');
		await tote.getByLabel('Reason', { exact: true }).selectOption({ label: 'Changed my mind' });
		await tote.getByLabel('Customer’s words (optional)').fill('Called the shop: one tote is enough.');
		await page.getByLabel('Store credit').check();
		await page.getByLabel('Drop-off with a QR code').check();
		await page.getByRole('button', { name: 'Create the return' }).click();

		await expect(page).toHaveURL(/\/admin\/returns\/[0-9a-f-]{36}$/);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Return R-/);
		await expect(page.getByText(/by staff/)).toBeVisible();
		const items = page.getByRole('region', { name: 'Items' });
		await expect(items).toContainText('Canvas tote');
		await expect(items).not.toContainText('Leather belt');
		await expect(items).toContainText('1 / 2');
		await expect(items).toContainText('Called the shop: one tote is enough.');
		await expect(page.getByRole('region', { name: 'History' }).getByText('Return requested')).toBeVisible();
		await expectAccessible(page);
		// The order lists it.
		await page.getByRole('link', { name: `Order ${orderNumber}` }).first().click();
		await expect(page.getByRole('heading', { level: 1 })).toContainText(orderNumber);
	});
});

test.describe('the warehouse', () => {
	test('scans a parcel, records each line’s condition and restocks it; a second scan shows it inspected', async ({ page, request }) => {
		const { orderNumber } = await orderWithLines(request, unique('E2E-SCAN'), [
			{ title: 'Wool beanie', quantity: 1, price: 2900 },
			{ title: 'Cotton socks', quantity: 2, price: 900 }
		]);
		const rma = await returnForCustomer(page, orderNumber);
		await expect(statusOf(page)).toContainText('Accepted');
		await expect(statusOf(page)).toContainText('Awaiting parcel');

		await page.goto('/admin/receiving');
		await expect(page.getByLabel('RMA or tracking number')).toBeFocused();
		await expectAccessible(page);
		// A scanner types the code and presses Enter; lower case and without dashes is found too.
		await page.keyboard.type(rma.replace(/-/g, '').toLowerCase());
		await page.keyboard.press('Enter');
		await expect(page.getByRole('heading', { name: `Return ${rma}` })).toBeVisible();
		await expectAccessible(page);

		const beanie = page.getByRole('group', { name: 'Line 1: Wool beanie' });
		await beanie.getByLabel('Opened, as new').check();
		await beanie.getByLabel('What becomes of it').selectOption({ label: 'Restock: back on sale' });
		const socks = page.getByRole('group', { name: 'Line 2: Cotton socks' });
		await socks.getByLabel('New, unopened').check();
		await socks.getByLabel('What becomes of it').selectOption({ label: 'Restock: back on sale' });
		await socks.getByLabel('Units to restock').fill('1');
		await page.getByRole('button', { name: 'Record the inspection' }).click();
		await expect(page.getByText(new RegExp(`^Inspection of ${rma} recorded`))).toBeVisible();
		await expect(page.getByRole('button', { name: 'Record the inspection' })).toHaveCount(0);
		// The scan field is ready for the next parcel: what the scanner types replaces the last code.
		await expect(page.getByLabel('RMA or tracking number')).toBeFocused();
		await page.keyboard.type(rma);
		await page.keyboard.press('Enter');
		await expect(page).toHaveURL(new RegExp(`code=${rma}$`));
		await expect(page.getByText('Every line of this return has been inspected. Scan the next parcel.')).toBeVisible();
		const inspected = page.getByRole('listitem').filter({ hasText: 'Line 1: Wool beanie' });
		await expect(inspected).toContainText('Opened, as new · Restock: back on sale');
		await expect(page.getByRole('listitem').filter({ hasText: 'Line 2: Cotton socks' })).toContainText('New, unopened · Restock: back on sale');
		await expect(page.getByRole('button', { name: 'Record the inspection' })).toHaveCount(0);
		await expectAccessible(page);

		// The return's page shows what the warehouse found.
		await page.goto(`/admin/search?q=${rma}`);
		await page.getByRole('link', { name: rma }).click();
		await expect(statusOf(page)).toContainText('Received');
		await expect(page.getByRole('region', { name: 'Inspection' })).toContainText('Opened');
	});

	test('an item missing from the parcel puts the return on hold for a person', async ({ page, request }) => {
		const { orderNumber } = await orderWithLines(request, unique('E2E-EMPTY'), [{ title: 'Organic cotton T-shirt', quantity: 1, price: 2990 }]);
		const rma = await returnForCustomer(page, orderNumber);
		await page.goto(`/admin/receiving?code=${rma}`);
		const line = page.getByRole('group', { name: /^Line 1: / });
		await line.getByLabel('Not in the parcel').check();
		// Nothing came back: nothing to restock or dispose of.
		await expect(line.getByLabel('What becomes of it')).toBeDisabled();
		await expect(line.getByLabel('Units to restock')).toBeDisabled();
		await line.getByLabel('Note (optional)').fill('The box was empty.');
		await page.getByRole('button', { name: 'Record the inspection' }).click();
		await expect(page.getByText(`Inspection of ${rma} recorded: the return is held for a person, who decides the refund.`)).toBeVisible();
		await expect(page.getByRole('listitem').filter({ hasText: /^Line 1: / })).toContainText('Not in the parcel');

		await page.goto('/admin/returns?why=on_hold');
		await expect(page.getByRole('row').filter({ hasText: rma })).toContainText('On hold');
		await page.getByRole('link', { name: rma }).click();
		await expect(statusOf(page)).toContainText('On hold');
		await expect(page.getByRole('region', { name: 'Inspection' })).toContainText('The box was empty.');
	});
});

test('the owner blocks an email with a reason, sees it listed, and removes it', async ({ page }) => {
	const email = `${unique('e2e-block').toLowerCase()}@example.com`;
	await page.goto('/admin/risk-lists');
	await expectAccessible(page);
	await page.getByLabel('Email address').fill(email);
	await page.getByLabel('Reason').fill('Claimed three parcels never arrived');
	await page.getByRole('button', { name: 'Add to the block list' }).click();
	await expect(page.getByText(`“${email}” is now on the block list.`)).toBeVisible();
	const row = page.getByRole('row').filter({ hasText: email });
	await expect(row).toContainText('Claimed three parcels never arrived');
	await expect(row).toContainText('Email');
	await expectAccessible(page);
	// The same email twice is refused, beside the field.
	await page.getByLabel('Email address').fill(email.toUpperCase());
	await page.getByLabel('Reason').fill('Again');
	await page.getByRole('button', { name: 'Add to the block list' }).click();
	await expect(page.getByText(`Already on the block list (as “${email}”).`)).toBeVisible();

	await row.getByRole('button', { name: `Remove — ${email}` }).click();
	await expect(page.getByRole('heading', { name: `Remove “${email}” from the block list?` })).toBeVisible();
	await expectAccessible(page);
	await page.getByRole('button', { name: 'Yes, remove it' }).click();
	await expect(page.getByText(`“${email}” is no longer on the block list.`)).toBeVisible();
	await expect(page.getByRole('row').filter({ hasText: email })).toHaveCount(0);
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('a return is declined with the confirmation box, and a parcel inspected, as plain HTML forms', async ({ page, request }) => {
		const declined = await orderWithLines(request, unique('E2E-NOJS-NO'), [{ title: 'Linen shirt', quantity: 1, price: 5900 }]);
		const inspected = await orderWithLines(request, unique('E2E-NOJS-IN'), [{ title: 'Wool beanie', quantity: 1, price: 2900 }]);
		await blockEmail(page, declined.email, 'Reported by the carrier');
		await returnForCustomer(page, declined.orderNumber);
		await page.locator('#panel-reject summary').click();
		await page.getByLabel('Why the return is declined').fill('The shirt was washed and worn.');
		const decline = page.locator('#panel-reject').getByRole('button', { name: 'Decline' });
		// Not confirmed: the browser keeps the form.
		await decline.click();
		await expect(statusOf(page)).toContainText('Needs review');
		await page.getByLabel('I confirm: decline this return and email the customer').check();
		await decline.click();
		await expect(page.getByText('Return declined: the customer is emailed the reason.')).toBeVisible();
		await expect(statusOf(page)).toContainText('Rejected');

		const rma = await returnForCustomer(page, inspected.orderNumber);
		await page.goto('/admin/receiving');
		await page.getByLabel('RMA or tracking number').fill(rma);
		await page.getByRole('button', { name: 'Find the return' }).click();
		const line = page.getByRole('group', { name: 'Line 1: Wool beanie' });
		await line.getByLabel('New, unopened').check();
		await line.getByLabel('What becomes of it').selectOption({ label: 'Donate' });
		await page.getByRole('button', { name: 'Record the inspection' }).click();
		await expect(page.getByText(new RegExp(`^Inspection of ${rma} recorded`))).toBeVisible();
		await expect(page.getByRole('listitem').filter({ hasText: 'Line 1: Wool beanie' })).toContainText('New, unopened · Donate');
	});
});

test.describe('on a phone, in French', () => {
	test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'fr-FR' });

	test('the queue, a return, the warehouse form and the block list fit the screen', async ({ page, request }) => {
		const { orderNumber, email } = await orderWithLines(request, unique('E2E-PHONE'), [
			{ title: 'Merino cardigan', quantity: 1, price: 8900 },
			{ title: 'Silk scarf', quantity: 2, price: 4500 }
		]);
		const fits = async () => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
		await page.goto('/admin/returns');
		await page.getByRole('button', { name: 'Français' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Retours à traiter' })).toBeVisible();
		await fits();

		await page.goto(`/admin/orders?q=${orderNumber}`);
		await page.getByRole('link', { name: orderNumber, exact: true }).click();
		await page.getByRole('link', { name: 'Créer un retour pour le client' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Nouveau retour pour la commande ${orderNumber}`);
		for (const item of await page.getByRole('listitem').filter({ has: page.getByRole('checkbox') }).all()) {
			await item.getByRole('checkbox').check();
			await item.getByLabel('Motif', { exact: true }).selectOption({ label: 'J’ai changé d’avis' });
		}
		await page.getByRole('button', { name: 'Créer le retour' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Retour R-/);
		const rma = (await page.getByRole('heading', { level: 1 }).textContent())!.replace('Retour ', '').trim();
		await expect(page.getByRole('region', { name: 'Risque' })).toBeVisible();
		await fits();
		await expectAccessible(page);

		await page.goto(`/admin/receiving?code=${rma}`);
		await expect(page.getByRole('group', { name: 'Ligne 2 : Silk scarf' })).toBeVisible();
		await fits();
		await expectAccessible(page);

		await page.goto('/admin/risk-lists');
		await page.getByLabel('Adresse e-mail').fill(email);
		await page.getByLabel('Motif').fill('Trois colis vides');
		await page.getByRole('button', { name: 'Ajouter à la liste de blocage' }).click();
		const remove = page.getByRole('row').filter({ hasText: email }).getByRole('button', { name: /^Retirer/ });
		// Its Remove button is on the screen, not past the edge of a table that scrolls sideways.
		await expect(remove).toBeVisible();
		const box = (await remove.boundingBox())!;
		expect(box.x + box.width).toBeLessThanOrEqual(390 - 16);
		await fits();
		await expectAccessible(page);
	});
});
