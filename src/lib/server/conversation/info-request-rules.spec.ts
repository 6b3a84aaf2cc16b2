import { describe, expect, it } from 'vitest';
import { checkAnswerText, InformationRequestError, latestQuestion, MAX_ANSWER_CHARS, requestState, withExchange, type RequestEvent } from './info-request-rules';

const at = (minute: number) => new Date(Date.UTC(2025, 2, 10, 9, minute));
const asked = (id: number, reason: string): RequestEvent => ({ id: String(id), type: 'return.decision_changed', payload: { from: 'needs_review', to: 'info_requested', reason }, createdAt: at(id) });
const moved = (id: number, to: string): RequestEvent => ({ id: String(id), type: 'return.decision_changed', payload: { from: 'info_requested', to, reason: null }, createdAt: at(id) });
const answered = (id: number, questionEventId: string, text: string, photoIds: string[] = []): RequestEvent => ({
	id: String(id),
	type: 'return.information_provided',
	payload: { text, photoIds, questionEventId },
	createdAt: at(id)
});

describe('an answer to a staff question', () => {
	it('is trimmed, keeps its line breaks, and counts 1 to 4000 characters', () => {
		expect(checkAnswerText('  It was in the box.\r\nSee the photo.  ')).toBe('It was in the box.\nSee the photo.');
		expect(checkAnswerText('x'.repeat(MAX_ANSWER_CHARS))).toHaveLength(MAX_ANSWER_CHARS);
		expect(() => checkAnswerText(' \n\t ')).toThrow(expect.objectContaining({ code: 'text_empty', field: 'text' }));
		expect(() => checkAnswerText('x'.repeat(MAX_ANSWER_CHARS + 1))).toThrow(InformationRequestError);
		expect(() => checkAnswerText(`  ${'x'.repeat(MAX_ANSWER_CHARS)}  `)).not.toThrow();
	});
});

describe('the question waiting', () => {
	it('is the latest move to info_requested, whatever order the events come in (ids compared as numbers)', () => {
		const events = [asked(10, 'Which size did you order?'), moved(11, 'needs_review'), asked(9, 'First question')];
		expect(latestQuestion(events)).toEqual({ eventId: '10', question: 'Which size did you order?', askedAt: at(10) });
		expect(latestQuestion([])).toBeNull();
	});

	it('shows as waiting while the return is info_requested, as answered once back in review, and not at all after a decision', () => {
		const first = [asked(3, 'Could you send a photo of the label?')];
		expect(requestState('info_requested', first)).toMatchObject({ eventId: '3', answer: null });
		const after = [...first, answered(4, '3', 'Here it is', ['p1', 'p2']), moved(5, 'needs_review')];
		expect(requestState('needs_review', after)).toMatchObject({ question: 'Could you send a photo of the label?', answer: { text: 'Here it is', photos: 2, at: at(4) } });
		expect(requestState('accepted', after)).toBeNull();
		// Asked again: the new question waits, the old answer does not count for it.
		const again = [...after, asked(6, 'And the inside of the box?')];
		expect(requestState('info_requested', again)).toMatchObject({ eventId: '6', answer: null });
		// Back in review without an answer to the latest question (staff changed their mind): nothing to say.
		expect(requestState('needs_review', [...again, moved(7, 'needs_review')])).toBeNull();
		expect(requestState('needs_review', [])).toBeNull();
	});
});

describe('the exchange in the transcript', () => {
	const question = { eventId: '42', question: 'Which colour did you receive?', askedAt: at(1) };
	const transcript = [{ role: 'assistant' as const, text: 'Your return is confirmed.' }];

	it('adds the question as the shop’s message, then the answer, with the photos counted in the conversation’s language', () => {
		expect(withExchange(transcript, { question, answer: 'Blue', photoIds: [], locale: 'en' })).toEqual([
			...transcript,
			{ role: 'assistant', text: 'Which colour did you receive?', questionEventId: '42' },
			{ role: 'customer', text: 'Blue', questionEventId: '42' }
		]);
		expect(withExchange(transcript, { question, answer: 'Bleu', photoIds: ['p1', 'p2'], locale: 'fr' }).at(-1)).toEqual({
			role: 'customer',
			text: 'Bleu\n(2 photos jointes)',
			questionEventId: '42',
			photoIds: ['p1', 'p2']
		});
		expect(withExchange(transcript, { question, answer: 'Blue', photoIds: ['p1'], locale: 'en' }).at(-1)!.text).toBe('Blue\n(1 photo attached)');
	});

	it('does not repeat a question already in the transcript', () => {
		const withQuestion = [...transcript, { role: 'assistant' as const, text: 'Which colour did you receive?', questionEventId: '42' }];
		expect(withExchange(withQuestion, { question, answer: 'Blue', photoIds: [], locale: 'en' })).toHaveLength(3);
		// The same words asked again later are a new question.
		expect(withExchange(withQuestion, { question: { ...question, eventId: '50' }, answer: 'Still blue', photoIds: [], locale: 'en' })).toHaveLength(4);
	});
});
