import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderNotification, type Notification, type NotificationContext } from './templates';

const LOCALES = ['en', 'fr'] as const;

const context = (locale: 'en' | 'fr', over: Partial<NotificationContext> = {}): NotificationContext => ({
	locale,
	shopName: 'Jeans & <Co>',
	orderNumber: '#1042',
	rma: 'R-8F3K2Q',
	statusUrl: 'https://returns.example/r/tok_abc',
	items: ['1 × Jean slim W32', '2 × T-shirt <col V>'],
	timeZone: 'Europe/Paris',
	...over
});

const accepted = (over: Partial<Extract<Notification, { kind: 'return_accepted' }>> = {}): Notification => ({
	kind: 'return_accepted',
	method: 'label',
	hasLabelAttachment: true,
	refundTiming: 'after_inspection',
	resolution: 'refund',
	...over
});

const SAMPLES: Notification[] = [
	accepted(),
	accepted({ method: 'drop_off', hasLabelAttachment: false, refundTiming: 'at_drop_off', resolution: 'store_credit' }),
	accepted({ method: 'keep', hasLabelAttachment: false, refundTiming: null, resolution: 'exchange' }),
	{ kind: 'parcel_received' },
	{ kind: 'refund_issued', amount: 4990, currency: 'EUR' },
	{ kind: 'refund_failed' },
	{ kind: 'credit_issued', amount: 4990, currency: 'EUR', code: 'RET-7Q2M-X9', expiresAt: new Date('2027-03-14T12:00:00Z') },
	{ kind: 'exchange_payment_needed', amount: 1200, currency: 'EUR', payUrl: 'https://pay.example/c/cs_123' },
	{ kind: 'exchange_shipped', items: ['1 × Jean slim W33'] },
	{ kind: 'info_requested', question: 'Could you send a photo of the seam?' },
	{ kind: 'return_rejected', reason: 'The jeans came back after the 30-day return window.' }
];

/** The "what to do now" part of an acceptance: the block after the greeting and the intro. */
const nextSteps = (text: string) => text.split('\n\n')[2];

function flatten(json: Record<string, unknown>): Map<string, string[]> {
	// A plain message is a string; one with variants is [{ declarations, selectors, match: { selector: text } }].
	const strings = (value: unknown): string[] =>
		typeof value === 'string' ? [value] : Array.isArray(value) ? value.flatMap((v: { match: Record<string, string> }) => Object.values(v.match)) : [];
	return new Map(
		Object.entries(json)
			.filter(([key]) => key !== '$schema')
			.map(([key, value]) => [key, strings(value)])
	);
}
const messages = (locale: string) => flatten(JSON.parse(readFileSync(`messages/notifications/${locale}.json`, 'utf8')));

describe('customer notification emails', () => {
	it.each(LOCALES)('render every kind in %s: a subject naming the order, the status link, the details, the shop', (locale) => {
		for (const n of SAMPLES) {
			const email = renderNotification(n, context(locale));
			expect(email.subject.trim(), n.kind).not.toBe('');
			expect(email.subject, n.kind).toContain('#1042');
			expect(email.text, n.kind).toContain('https://returns.example/r/tok_abc');
			expect(email.text, n.kind).toContain('R-8F3K2Q');
			expect(email.text, n.kind).toContain('1 × Jean slim W32');
			expect(email.text, n.kind).toContain('Jeans & <Co>');
			expect(email.html, n.kind).toContain(`<html lang="${locale}"`);
			expect(email.html, n.kind).toContain('href="https://returns.example/r/tok_abc"');
			expect(email.html, n.kind).toContain('max-width:560px');
			expect(email.html, n.kind).toContain('display:none');
			// A message key left untranslated would show its name.
			expect(email.text, n.kind).not.toMatch(/notify_/);
		}
	});

	it('write each kind differently in English and French', () => {
		for (const n of SAMPLES) {
			const en = renderNotification(n, context('en'));
			const fr = renderNotification(n, context('fr'));
			expect(fr.subject, n.kind).not.toBe(en.subject);
			expect(fr.text, n.kind).not.toBe(en.text);
		}
	});

	it('format amounts in the reader’s locale', () => {
		const refund: Notification = { kind: 'refund_issued', amount: 4990, currency: 'EUR' };
		const en = renderNotification(refund, context('en'));
		const fr = renderNotification(refund, context('fr'));
		expect(en.subject).toContain('€49.90');
		expect(en.text).toContain('€49.90');
		expect(fr.subject).toContain('49,90\u00a0€');
		expect(fr.text).toContain('49,90\u00a0€');
		expect(fr.html).toContain('49,90\u00a0€');
		expect(fr.text).not.toContain('49.90');
		const yen = renderNotification({ kind: 'refund_issued', amount: 4990, currency: 'JPY' }, context('en'));
		expect(yen.text).toContain('¥4,990');
	});

	it('show the store credit code, its amount and its expiry in text and HTML', () => {
		const credit: Notification = { kind: 'credit_issued', amount: 4990, currency: 'EUR', code: 'RET-7Q2M-X9', expiresAt: new Date('2027-03-14T23:30:00Z') };
		const fr = renderNotification(credit, context('fr'));
		expect(fr.text).toContain('RET-7Q2M-X9');
		expect(fr.html).toContain('RET-7Q2M-X9');
		expect(fr.html).toMatch(/font-size:28px[^>]*>RET-7Q2M-X9</);
		expect(fr.text).toContain('49,90\u00a0€');
		// 23:30 UTC is already the 15th in Paris.
		expect(fr.text).toContain('Valable jusqu’au 15 mars 2027');
		const en = renderNotification({ ...credit, expiresAt: null }, context('en', { timeZone: undefined }));
		expect(en.text).toContain('RET-7Q2M-X9');
		expect(en.html).toContain('RET-7Q2M-X9');
		expect(en.text).toContain('No expiry date');
	});

	it('quote the staff’s question as written, escaping it in HTML', () => {
		const question = 'Is the <b>seam</b> torn & "where"?\nPlease send a photo.';
		for (const locale of LOCALES) {
			const email = renderNotification({ kind: 'info_requested', question }, context(locale));
			expect(email.text).toContain('> Is the <b>seam</b> torn & "where"?\n> Please send a photo.');
			expect(email.html).toContain('Is the &lt;b&gt;seam&lt;/b&gt; torn &amp; &quot;where&quot;?<br>Please send a photo.');
			expect(email.html).not.toContain('<b>seam');
		}
	});

	it('quote the reason for a declined return as written, politely and without blaming the customer', () => {
		const reason = 'The <b>seal</b> was opened & the item used.\nWe cannot resell it.';
		for (const locale of LOCALES) {
			const email = renderNotification({ kind: 'return_rejected', reason }, context(locale));
			expect(email.text).toContain('> The <b>seal</b> was opened & the item used.\n> We cannot resell it.');
			expect(email.html).toContain('The &lt;b&gt;seal&lt;/b&gt; was opened &amp; the item used.<br>We cannot resell it.');
			expect(email.html).not.toContain('<b>seal');
			expect(email.subject).toContain('#1042');
			expect(email.text).toContain('R-8F3K2Q');
			// Our own words: factual, sorry, never an accusation (the staff's reason aside).
			const ours = `${email.subject}\n${email.text.replace(/^> .*$/gm, '')}`;
			expect(ours).not.toMatch(/fraud|abus|suspic|violat|misuse|illegal|fraude|suspect|illégal/i);
		}
		expect(renderNotification({ kind: 'return_rejected', reason }, context('en')).text).toContain('we are sorry that we are not able to accept it');
		expect(renderNotification({ kind: 'return_rejected', reason }, context('fr')).text).toContain('nous sommes désolés de ne pas pouvoir l’accepter');
	});

	it('escape the shop’s name and the item titles in HTML', () => {
		const email = renderNotification({ kind: 'exchange_shipped', items: ['1 × Polo <rouge>'] }, context('fr'));
		expect(email.html).toContain('Jeans &amp; &lt;Co&gt;');
		expect(email.html).toContain('1 × Polo &lt;rouge&gt;');
		expect(email.html).toContain('2 × T-shirt &lt;col V&gt;');
		expect(email.html).not.toMatch(/<Co>|<rouge>|<col V>/);
		expect(email.text).toContain('1 × Polo <rouge>');
	});

	it('give a different next step for a label, a drop-off and a kept item', () => {
		for (const locale of LOCALES) {
			const render = (n: Notification) => renderNotification(n, context(locale));
			const label = render(accepted({ method: 'label', hasLabelAttachment: true }));
			const labelOnPage = render(accepted({ method: 'label', hasLabelAttachment: false }));
			const dropOff = render(accepted({ method: 'drop_off', hasLabelAttachment: false }));
			const keep = render(accepted({ method: 'keep', hasLabelAttachment: false }));
			const steps = [label, labelOnPage, dropOff, keep].map((e) => nextSteps(e.text));
			expect(new Set(steps).size).toBe(4);
			expect(nextSteps(label.text)).toMatch(locale === 'en' ? /Print the prepaid label attached/ : /Imprimez l’étiquette prépayée jointe/);
			expect(nextSteps(dropOff.text)).toMatch(/QR code/);
			expect(nextSteps(dropOff.text)).not.toMatch(/label|étiquette/i);
			expect(nextSteps(keep.text)).toMatch(locale === 'en' ? /keep the items/ : /gardez les articles/);
			expect(keep.text).not.toMatch(/drop-off|point de dépôt|QR/);
			// Without an attachment the button is named after what is on the page.
			expect(labelOnPage.html).toContain(locale === 'en' ? '>Get your label</a>' : '>Obtenir votre étiquette</a>');
			expect(dropOff.html).toContain(locale === 'en' ? '>Show your QR code</a>' : '>Afficher votre QR code</a>');
		}
	});

	it('give the deadline to hand the parcel over, when there is one', () => {
		expect(renderNotification(accepted({ returnWithinDays: 14 }), context('en')).text).toContain('within 14 days');
		expect(renderNotification(accepted({ returnWithinDays: 1 }), context('en')).text).toContain('within 1 day.');
		expect(renderNotification(accepted({ returnWithinDays: 14 }), context('fr')).text).toContain('sous 14 jours');
		expect(renderNotification(accepted(), context('en')).text).not.toContain('drop off your parcel within');
	});

	it('say when the refund comes, by the policy’s timing, and how long banks take', () => {
		const text = (refundTiming: 'at_approval' | 'at_drop_off' | 'after_inspection' | null) =>
			renderNotification(accepted({ refundTiming }), context('en')).text;
		expect(text('at_drop_off')).toContain('as soon as the carrier scans your parcel');
		expect(text('after_inspection')).toContain('we have checked the items');
		expect(new Set([text('at_approval'), text('at_drop_off'), text('after_inspection'), text(null)]).size).toBe(4);
		expect(text(null)).toContain('5–10 business days');
		// A kept item is never scanned: the timing falls back to the approval.
		const kept = renderNotification(accepted({ method: 'keep', refundTiming: 'after_inspection' }), context('en')).text;
		expect(kept).not.toContain('parcel');
	});

	it('send the customer to the payment page for an exchange that costs more, the status page below it', () => {
		const email = renderNotification({ kind: 'exchange_payment_needed', amount: 1200, currency: 'EUR', payUrl: 'https://pay.example/c/cs_123' }, context('fr'));
		expect(email.html).toMatch(/<a href="https:\/\/pay\.example\/c\/cs_123"[^>]*>Régler 12,00\u00a0€<\/a>/);
		expect(email.text.indexOf('https://pay.example/c/cs_123')).toBeLessThan(email.text.indexOf('https://returns.example/r/tok_abc'));
	});

	it('tell the customer of a failed refund that nothing is needed from them, without alarm', () => {
		for (const locale of LOCALES) {
			const email = renderNotification({ kind: 'refund_failed' }, context(locale));
			expect(`${email.subject}\n${email.text}`).not.toMatch(/fail|error|problem|declin|échec|erreur|problème|refus/i);
		}
		expect(renderNotification({ kind: 'refund_failed' }, context('en')).text).toContain('nothing you need to do');
		expect(renderNotification({ kind: 'refund_failed' }, context('fr')).text).toContain('Vous n’avez rien à faire');
	});

	it('put a no-break space before French high punctuation, never a plain one', () => {
		let colons = 0;
		for (const n of SAMPLES) {
			const { subject, text } = renderNotification(n, context('fr'));
			expect(`${subject}\n${text}`, n.kind).not.toMatch(/ [:;!?]/);
			colons += (text.match(/[\u00a0\u202f]:/g) ?? []).length;
		}
		expect(colons).toBeGreaterThan(0);
		for (const [key, values] of messages('fr')) for (const value of values) expect(value, key).not.toMatch(/(^|[^\u00a0\u202f])[:;!?]/);
	});

	it('have every message in both languages, under the notify_ prefix', () => {
		const en = messages('en');
		const fr = messages('fr');
		expect(en.size).toBeGreaterThan(0);
		expect([...fr.keys()].sort()).toEqual([...en.keys()].sort());
		for (const key of en.keys()) expect(key).toMatch(/^notify_/);
	});
});
