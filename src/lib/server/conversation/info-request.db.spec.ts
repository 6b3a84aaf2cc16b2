import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db/test-db';
import { listEvents } from '../returns/events';
import { createReturn, loadReturn, transitionReturn } from '../returns/service';
import { createTestShop, insertTestOrder } from '../test-fixtures';
import { answerInformationRequest, InformationRequestError, informationRequestsForOrder, pendingQuestion } from './info-request';
import { PhotoError, readPhoto } from './photos';
import { conversationForPage, openConversation, replyToConversation } from './service';
import { listOrderConversations } from './staff';

/** The customer answers the team's question about their return, in the conversation they made it in. */

let t: TestDatabase;
let shopId: string;
let n = 0;
const staff = { kind: 'staff' as const, id: 'u-staff' };
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const QUESTION = 'Could you send a photo of the label inside the jeans?';

beforeAll(async () => {
	t = await createTestDatabase();
	shopId = (await createTestShop(t.sql, 'info-request')).id;
});
afterAll(() => t?.close());

const order = () => insertTestOrder(t.sql, shopId, { number: `IR-${++n}`, lines: [{ title: 'Jean slim', quantity: 1, unitPrice: 8900 }] });

/** A return made in the conversation (accepted), put on hold, then asked about. */
async function askedInConversation() {
	const o = await order();
	const { conversation } = await openConversation(t.sql, { shopId, orderId: o.orderId, locale: 'en' });
	const say = (reply: Parameters<typeof replyToConversation>[1]['reply']) => replyToConversation(t.sql, { shopId, conversationId: conversation.id, reply });
	await say({ actionId: 'items', values: { items: [{ id: o.lineIds[0], quantity: 1 }] } });
	await say({ actionId: 'reason', values: { choice: 'changed_mind' } });
	await say({ actionId: 'refund' });
	await say({ actionId: 'method', values: { choice: 'label' } });
	const done = await say({ actionId: 'confirm' });
	const [{ id: returnId }] = await t.sql<{ id: string }[]>`select id from returns where order_id = ${o.orderId}`;
	expect(done.return?.status).toBe('accepted');
	await transitionReturn(t.sql, { shopId, returnId, machine: 'decision', to: 'on_hold', reason: 'Checking the label' }, staff);
	await transitionReturn(t.sql, { shopId, returnId, machine: 'decision', to: 'info_requested', reason: QUESTION }, staff);
	return { ...o, returnId, conversationId: conversation.id };
}

/** A return staff made (no conversation), asked about. */
async function askedByStaff(question = QUESTION) {
	const o = await order();
	const r = await createReturn(
		t.sql,
		{ shopId, orderId: o.orderId, channel: 'staff', autoAccept: false, resolution: 'refund', returnMethod: 'label', lines: [{ orderLineId: o.lineIds[0], quantity: 1, reasonCode: 'arrived_damaged' }] },
		staff
	);
	if (r.decisionStatus !== 'needs_review') await transitionReturn(t.sql, { shopId, returnId: r.id, machine: 'decision', to: 'needs_review' }, staff);
	await transitionReturn(t.sql, { shopId, returnId: r.id, machine: 'decision', to: 'info_requested', reason: question }, staff);
	return { ...o, returnId: r.id };
}

async function snapshot(returnId: string, orderId: string) {
	const [ret] = await t.sql`select decision_status, updated_at from returns where id = ${returnId}`;
	const events = await t.sql`select id from return_events where return_id = ${returnId}`;
	const conversations = await t.sql`select id, state, updated_at from conversations where order_id = ${orderId}`;
	const photos = await t.sql`select p.id from conversation_photos p join conversations c on c.id = p.conversation_id where c.order_id = ${orderId}`;
	return { ret, events: events.length, conversations, photos: photos.length };
}

describe('answering the team’s question', () => {
	it('shows the question waiting, then stores the answer in the conversation, as the customer’s event, and hands the return back to the team', async () => {
		const a = await askedInConversation();
		const waiting = await pendingQuestion(t.sql, shopId, a.returnId);
		expect(waiting).toMatchObject({ question: QUESTION, askedAt: expect.any(Date), eventId: expect.stringMatching(/^\d+$/) });
		expect(await informationRequestsForOrder(t.sql, shopId, a.orderId)).toEqual([
			expect.objectContaining({ returnId: a.returnId, conversationId: a.conversationId, question: QUESTION, answer: null })
		]);

		const answered = await answerInformationRequest(t.sql, { shopId, orderId: a.orderId, returnId: a.returnId, text: '  The label says W31 L32.\r\nPhoto attached.  ', photos: [PNG] });
		expect(answered).toMatchObject({ conversationId: a.conversationId, text: 'The label says W31 L32.\nPhoto attached.', photoIds: [expect.any(String)] });

		expect((await loadReturn(t.sql, shopId, a.returnId))!.decisionStatus).toBe('needs_review');
		expect(await pendingQuestion(t.sql, shopId, a.returnId)).toBeNull();
		const events = await listEvents(t.sql, shopId, a.returnId);
		const provided = events.find((e) => e.type === 'return.information_provided')!;
		expect(provided).toMatchObject({
			actorKind: 'customer',
			actorId: a.customerId,
			payload: { text: 'The label says W31 L32.\nPhoto attached.', photoIds: answered.photoIds, question: QUESTION, questionEventId: waiting!.eventId, conversationId: a.conversationId }
		});
		// The answer, then the move back to the team's queue, by the customer.
		expect(events.at(-1)).toMatchObject({ type: 'return.decision_changed', actorKind: 'customer', actorId: a.customerId, payload: { from: 'info_requested', to: 'needs_review' } });
		expect(events.indexOf(provided)).toBe(events.length - 2);

		const [{ transcript, step }] = await t.sql<{ transcript: { role: string; text: string }[]; step: string }[]>`
			select state->'transcript' as transcript, step from conversations where id = ${a.conversationId}`;
		expect(step).toBe('submitted');
		expect(transcript.slice(-3)).toEqual([
			{ role: 'assistant', text: 'Your return is confirmed.' },
			{ role: 'assistant', text: QUESTION, questionEventId: waiting!.eventId },
			{ role: 'customer', text: 'The label says W31 L32.\nPhoto attached.\n(1 photo attached)', questionEventId: waiting!.eventId, photoIds: answered.photoIds }
		]);
		// The photo is the conversation's, served to whoever holds the order's link.
		expect(await readPhoto(t.sql, shopId, a.orderId, answered.photoIds[0])).toMatchObject({ contentType: 'image/png' });
		// The page tells the customer the answer arrived, until the team decides.
		expect(await informationRequestsForOrder(t.sql, shopId, a.orderId)).toEqual([
			expect.objectContaining({ returnId: a.returnId, answer: { text: 'The label says W31 L32.\nPhoto attached.', photos: 1, at: expect.any(Date) } })
		]);
		await transitionReturn(t.sql, { shopId, returnId: a.returnId, machine: 'decision', to: 'accepted' }, staff);
		expect(await informationRequestsForOrder(t.sql, shopId, a.orderId)).toEqual([]);
	});

	it('answers a second question in the same conversation, after the first exchange', async () => {
		const a = await askedInConversation();
		await answerInformationRequest(t.sql, { shopId, orderId: a.orderId, returnId: a.returnId, text: 'W31' });
		await transitionReturn(t.sql, { shopId, returnId: a.returnId, machine: 'decision', to: 'info_requested', reason: 'And the colour?' }, staff);
		await answerInformationRequest(t.sql, { shopId, orderId: a.orderId, returnId: a.returnId, text: 'Indigo' });
		const [{ transcript }] = await t.sql<{ transcript: { role: string; text: string }[] }[]>`select state->'transcript' as transcript from conversations where id = ${a.conversationId}`;
		expect(transcript.slice(-4).map((m) => `${m.role}: ${m.text}`)).toEqual([`assistant: ${QUESTION}`, 'customer: W31', 'assistant: And the colour?', 'customer: Indigo']);
	});

	it('creates the conversation of a return staff made, finished and linked to it, so the exchange and its photos have a home', async () => {
		const s = await askedByStaff();
		expect(await informationRequestsForOrder(t.sql, shopId, s.orderId)).toEqual([expect.objectContaining({ conversationId: null, answer: null })]);
		const answered = await answerInformationRequest(t.sql, { shopId, orderId: s.orderId, returnId: s.returnId, text: 'Here is the box.', photos: [PNG, PNG], locale: 'fr' });
		const [conversation] = await listOrderConversations(t.sql, shopId, s.orderId);
		expect(conversation).toMatchObject({ id: answered.conversationId, step: 'submitted', locale: 'fr', photos: 2, rma: expect.stringMatching(/^R-/) });
		expect(conversation.transcript).toEqual([
			{ role: 'assistant', text: QUESTION, questionEventId: expect.any(String) },
			{ role: 'customer', text: 'Here is the box.\n(2 photos jointes)', questionEventId: expect.any(String), photoIds: answered.photoIds }
		]);
		expect((await loadReturn(t.sql, shopId, s.returnId))!.decisionStatus).toBe('needs_review');
		// The customer's page shows it, finished, with its return; a new return still starts its own conversation.
		expect(await conversationForPage(t.sql, { shopId, orderId: s.orderId, locale: 'en' })).toMatchObject({
			id: answered.conversationId,
			finished: true,
			actions: [],
			return: { status: 'needs_review' },
			messages: conversation.transcript
		});
		const { conversation: open } = await openConversation(t.sql, { shopId, orderId: s.orderId, locale: 'en' });
		expect(open.id).not.toBe(answered.conversationId);
	});

	it('refuses, writing nothing, when no question waits, the return is another order’s, or the text is empty or too long', async () => {
		const a = await askedInConversation();
		const other = await order();
		const before = await snapshot(a.returnId, a.orderId);
		const refused = async (input: Partial<Parameters<typeof answerInformationRequest>[1]>, code: string) => {
			const error = await answerInformationRequest(t.sql, { shopId, orderId: a.orderId, returnId: a.returnId, text: 'An answer', ...input }).catch((e: unknown) => e);
			expect(error).toMatchObject({ code });
			return error;
		};
		expect(await refused({ orderId: other.orderId }, 'return_not_found')).toBeInstanceOf(InformationRequestError);
		await refused({ returnId: 'not-a-uuid' }, 'return_not_found');
		await refused({ returnId: '00000000-0000-4000-8000-000000000000' }, 'return_not_found');
		await refused({ text: '   \n ' }, 'text_empty');
		await refused({ text: 'x'.repeat(4001) }, 'text_too_long');
		expect(await refused({ photos: [PNG, new TextEncoder().encode('%PDF-1.4 not a photo')] }, 'unsupported_type')).toBeInstanceOf(PhotoError);
		await refused({ photos: Array.from({ length: 7 }, () => PNG) }, 'too_many');
		expect(await snapshot(a.returnId, a.orderId)).toEqual(before);

		// Answered once: the second press finds nothing waiting.
		await answerInformationRequest(t.sql, { shopId, orderId: a.orderId, returnId: a.returnId, text: 'An answer' });
		const answered = await snapshot(a.returnId, a.orderId);
		await refused({}, 'not_requested');
		expect(await snapshot(a.returnId, a.orderId)).toEqual(answered);

		// Never asked (a return staff are still reviewing).
		const s = await askedByStaff();
		await transitionReturn(t.sql, { shopId, returnId: s.returnId, machine: 'decision', to: 'needs_review' }, staff);
		const error = await answerInformationRequest(t.sql, { shopId, orderId: s.orderId, returnId: s.returnId, text: 'Hello' }).catch((e: unknown) => e);
		expect(error).toMatchObject({ code: 'not_requested' });
		expect(await t.sql`select 1 from conversations where order_id = ${s.orderId}`).toHaveLength(0);
	});

	it('lets a staff member answer on the customer’s behalf, recorded as theirs', async () => {
		const s = await askedByStaff();
		await answerInformationRequest(t.sql, { shopId, orderId: s.orderId, returnId: s.returnId, text: 'Said on the phone: the seal was broken.' }, staff);
		const events = await listEvents(t.sql, shopId, s.returnId);
		expect(events.find((e) => e.type === 'return.information_provided')).toMatchObject({ actorKind: 'staff', actorId: 'u-staff' });
	});
});
