import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../db/connect';
import { createTestDatabase, realPostgres, type TestDatabase } from '../db/test-db';
import { DEFAULT_POLICY } from '../policy/defaults';
import { activatePolicyVersion, savePolicyVersion } from '../policy/versions';
import { upsertProduct } from '../catalogue/products';
import { createReturn, loadReturn } from '../returns/service';
import { calendarDaysAgo, createTestShop, insertTestOrder } from '../test-fixtures';
import { ConversationError } from './engine';
import { getConversation, openConversation, replyToConversation } from './service';

let t: TestDatabase;
let shopId: string;

let previousSecret: string | undefined;

beforeAll(async () => {
	// The withdrawal email carries the return link; on PostgreSQL the secret must be configured.
	previousSecret = process.env.RETURN_LINK_SECRET;
	process.env.RETURN_LINK_SECRET = 'w'.repeat(64);
	t = await createTestDatabase();
	shopId = (await createTestShop(t.sql, 'conversations')).id;
});
afterAll(async () => {
	if (previousSecret === undefined) delete process.env.RETURN_LINK_SECRET;
	else process.env.RETURN_LINK_SECRET = previousSecret;
	await t.close();
});

const order = (number: string, over: Parameters<typeof insertTestOrder>[2] extends infer O ? Partial<O> : never = {}) =>
	insertTestOrder(t.sql, shopId, { number, lines: [{ title: 'Jean slim', quantity: 2, unitPrice: 8900 }, { title: 'Ceinture', quantity: 1, unitPrice: 2500 }], ...over });

describe('conversations', () => {
	it('opens one conversation per order and resumes it', async () => {
		const o = await order('c-1');
		const first = await openConversation(t.sql, { shopId, orderId: o.orderId, locale: 'en' });
		expect(first.created).toBe(true);
		expect(first.conversation).toMatchObject({ state: 'items', messages: [{ role: 'assistant', text: 'Hello! Which items would you like to return?' }] });
		expect(first.conversation.actions[0]).toMatchObject({ kind: 'items', options: [{ label: 'Jean slim', max: 2 }, { label: 'Ceinture', max: 1 }] });
		const again = await openConversation(t.sql, { shopId, orderId: o.orderId, locale: 'en' });
		expect(again).toMatchObject({ created: false, conversation: { id: first.conversation.id } });
	});

	it('creates the return once, with the amount the customer was offered, and then only shows it', async () => {
		const o = await order('c-2');
		const { conversation } = await openConversation(t.sql, { shopId, orderId: o.orderId, locale: 'en' });
		const say = (reply: Parameters<typeof replyToConversation>[1]['reply']) => replyToConversation(t.sql, { shopId, conversationId: conversation.id, reply });
		await say({ actionId: 'items', values: { items: [{ id: o.lineIds[0], quantity: 1 }] } });
		const offers = await say({ text: 'I changed my mind, I do not need it any more' });
		expect(offers.state).toBe('offers');
		const refund = offers.actions.find((a) => a.kind === 'refund')!;
		expect(refund.label).toBe('No thanks, I’d like a refund — Refund of €89.00 to your original payment');
		await say({ actionId: 'refund' });
		await say({ actionId: 'method', values: { choice: 'label' } });
		const done = await say({ actionId: 'confirm' });
		expect(done).toMatchObject({ state: 'submitted', actions: [], return: { status: 'accepted', resolution: 'refund', quote: { total: 8900, resolution: 'refund' } } });
		expect(done.return!.rma).toMatch(/^R-/);
		await expect(say({ actionId: 'confirm' })).rejects.toBeInstanceOf(ConversationError);
		const [{ n }] = await t.sql<{ n: number }[]>`select count(*)::int as n from returns where order_id = ${o.orderId}`;
		expect(n).toBe(1);
		const [row] = await t.sql<{ return_id: string }[]>`select return_id from conversations where id = ${conversation.id}`;
		expect((await loadReturn(t.sql, shopId, row.return_id))!.lines[0]).toMatchObject({ reasonCode: 'changed_mind', requestedResolution: 'refund', quantity: 1 });
		// The state survives: the link shows the same conversation, finished, with its return.
		expect(await getConversation(t.sql, shopId, conversation.id)).toMatchObject({ state: 'submitted', return: { rma: done.return!.rma } });
		// A new conversation for the rest of the order can start.
		expect((await openConversation(t.sql, { shopId, orderId: o.orderId, locale: 'en' })).created).toBe(true);
	});

	it('withdraws without reason or offers, refunding the whole order', async () => {
		const o = await order('c-3', { shipping: 490, orderedAt: new Date(Date.now() - 6 * 86_400_000), deliveredAt: new Date(Date.now() - 3 * 86_400_000) });
		const { conversation } = await openConversation(t.sql, { shopId, orderId: o.orderId, locale: 'fr' });
		expect(conversation.actions.map((a) => a.label)).toContain('Se rétracter du contrat ici');
		await replyToConversation(t.sql, { shopId, conversationId: conversation.id, reply: { actionId: 'withdraw' } });
		const done = await replyToConversation(t.sql, { shopId, conversationId: conversation.id, reply: { actionId: 'withdraw_confirm' } });
		expect(done).toMatchObject({ state: 'withdrawn', return: { quote: { total: 2 * 8900 + 2500 + 490, shipping: 490 } } });
		const [r] = await t.sql<{ is_withdrawal: boolean; rma: string }[]>`select is_withdrawal, rma from returns where order_id = ${o.orderId}`;
		expect(r.is_withdrawal).toBe(true);
		// Acknowledged at once, with its date and time, shown and emailed (the outbox, without SMTP).
		expect(done.messages.at(-1)!.text).toMatch(/^Votre rétractation est enregistrée le \d{1,2} \S+ \d{4} (à )?\d{2}:\d{2}\. Nous vous avons envoyé/);
		const [mail] = await t.sql<{ to_address: string; subject: string; text_body: string; status: string }[]>`
			select to_address, subject, text_body, status from emails where kind = 'withdrawal_acknowledgement'`;
		expect(mail).toMatchObject({ to_address: 'c-3@example.com', subject: 'Votre rétractation de la commande c-3 est enregistrée', status: 'outbox' });
		expect(mail.text_body).toContain(r.rma);
		expect(mail.text_body).toContain('207,90');
	});

	it('asks which size would fit, offering the other sizes of the jeans in stock', async () => {
		const eur = (amount: number) => ({ amount, currency: 'EUR' });
		const product = await upsertProduct(t.sql, shopId, 'conv-jeans', {
			title: 'Jean slim',
			options: ['Waist', 'Length'],
			variants: ['W30', 'W31', 'W32', 'W33'].map((w) => ({
				externalId: `conv-${w}`,
				sku: `CONV-${w}-L32`,
				price: eur(8900),
				options: { Waist: w, Length: 'L32' },
				inventoryQuantity: w === 'W32' ? 0 : 4
			}))
		});
		const w31 = product.product.variants.find((v: { sku: string }) => v.sku === 'CONV-W31-L32')!;
		const o = await order('c-5', { lines: [{ title: 'Jean slim', quantity: 1, unitPrice: 8900, productId: product.product.id, variantId: w31.id }] });
		const { conversation } = await openConversation(t.sql, { shopId, orderId: o.orderId, locale: 'en' });
		await replyToConversation(t.sql, { shopId, conversationId: conversation.id, reply: { actionId: 'items', values: { items: [{ id: o.lineIds[0], quantity: 1 }] } } });
		const fit = await replyToConversation(t.sql, { shopId, conversationId: conversation.id, reply: { actionId: 'reason', values: { choice: 'too_small' } } });
		expect(fit.state).toBe('fit');
		expect(fit.actions[0].options!.map((o) => o.label)).toEqual(['W33']); // bigger sizes only; W32 is sold out
	});

	it('offers no withdrawal once the 14 days have passed, and refuses politely outside the window', async () => {
		const o = await order('c-4', { orderedAt: calendarDaysAgo(80), deliveredAt: calendarDaysAgo(75) });
		const { conversation } = await openConversation(t.sql, { shopId, orderId: o.orderId, locale: 'en' });
		expect(conversation.actions.map((a) => a.kind)).not.toContain('withdraw');
		await replyToConversation(t.sql, { shopId, conversationId: conversation.id, reply: { actionId: 'items', values: { items: [{ id: o.lineIds[1], quantity: 1 }] } } });
		const refused = await replyToConversation(t.sql, { shopId, conversationId: conversation.id, reply: { actionId: 'reason', values: { choice: 'changed_mind' } } });
		expect(refused.state).toBe('refused');
		expect(refused.messages.at(-1)!.text).toBe('I am sorry, these items cannot be returned. Not eligible: delivered 75 days ago, after the 30-day window.');
	});
});

describe.runIf(realPostgres)('a confirmation while another return of the customer is being made (real PostgreSQL)', () => {
	it('waits for it and decides on the customer’s history with it, not on what the summary read', async () => {
		const shop = (await createTestShop(t.sql, 'conversation-race')).id;
		const owner = { userId: null, email: 'owner@example.com' };
		const v = await savePolicyVersion(
			t.sql,
			shop,
			{ ...DEFAULT_POLICY, rules: [{ id: 'one', name: 'One return only', when: { customerReturnCount: { min: 1 } }, then: { eligibility: 'not_eligible' } }] },
			owner
		);
		await activatePolicyVersion(t.sql, shop, v.id, owner);
		const email = 'both@example.com'; // in the US: no withdrawal right the rule would have to respect
		const chat = await insertTestOrder(t.sql, shop, { number: 'race-chat', email, country: 'US', lines: [{ title: 'Jean', quantity: 1, unitPrice: 5000 }] });
		const other = await insertTestOrder(t.sql, shop, { number: 'race-api', email, country: 'US', lines: [{ title: 'Belt', quantity: 1, unitPrice: 2000 }] });
		const { conversation } = await openConversation(t.sql, { shopId: shop, orderId: chat.orderId, locale: 'en' });
		const say = (sql: typeof t.sql, reply: Parameters<typeof replyToConversation>[1]['reply']) =>
			replyToConversation(sql, { shopId: shop, conversationId: conversation.id, reply });
		await say(t.sql, { actionId: 'items', values: { items: [{ id: chat.lineIds[0], quantity: 1 }] } });
		await say(t.sql, { actionId: 'reason', values: { choice: 'changed_mind' } });
		await say(t.sql, { actionId: 'refund' });
		expect((await say(t.sql, { actionId: 'method', values: { choice: 'label' } })).state).toBe('summary');

		// The other return is written and not yet committed when the customer confirms in the chat.
		const a = connect({ url: t.url!, max: 1 });
		const b = connect({ url: t.url!, max: 1 });
		try {
			let release!: () => void;
			const held = new Promise<void>((r) => (release = r));
			let written!: () => void;
			const isWritten = new Promise<void>((r) => (written = r));
			const api = b.begin(async (tx) => {
				await createReturn(tx, { shopId: shop, orderId: other.orderId, channel: 'api', lines: [{ orderLineId: other.lineIds[0], quantity: 1, reasonCode: 'changed_mind' }] }, { kind: 'system' });
				written();
				await held;
			});
			await isWritten;
			const confirm = say(a, { actionId: 'confirm' });
			const settled = await Promise.race([confirm.then(() => 'done', () => 'done'), new Promise((r) => setTimeout(() => r('waiting'), 300))]);
			expect(settled).toBe('waiting');
			release();
			await api;
				await expect(confirm).rejects.toMatchObject({ code: 'not_eligible' });
			const [{ n }] = await t.sql<{ n: number }[]>`select count(*)::int as n from returns where order_id = ${chat.orderId}`;
			expect(n).toBe(0);
		} finally {
			await a.end();
			await b.end();
		}
	});
});
