import { m } from '$lib/paraglide/messages';
import { escapeHtml, type EmailContent } from '../email/templates';
import { formatMoney } from '../orders/money';
import type { Locale } from '../shops/service';

/**
 * The emails a customer receives as their return moves on, in their language. Pure: the caller picks the
 * notification and the context, and sends (and attaches the label) itself.
 */

export type ReturnMethod = 'label' | 'drop_off' | 'keep';
export type RefundTiming = 'at_approval' | 'at_drop_off' | 'after_inspection';
export type Resolution = 'refund' | 'store_credit' | 'exchange';

export type Notification =
	| {
			kind: 'return_accepted';
			method: ReturnMethod;
			/** The label (method label) or QR code (method drop_off) is attached to this email. */
			hasLabelAttachment: boolean;
			refundTiming: RefundTiming | null;
			resolution: Resolution;
			/** How long the customer has to hand the parcel over, when the shop sets a limit. */
			returnWithinDays?: number | null;
	  }
	| { kind: 'parcel_received' }
	/** amount in integer minor units */
	| { kind: 'refund_issued'; amount: number; currency: string }
	/** Says we are on it; never alarming, nothing for the customer to do. */
	| { kind: 'refund_failed' }
	| { kind: 'credit_issued'; amount: number; currency: string; code: string; expiresAt: Date | null }
	| { kind: 'exchange_payment_needed'; amount: number; currency: string; payUrl: string }
	/** items: what is in the outgoing parcel, e.g. "1 × Jean slim W33" */
	| { kind: 'exchange_shipped'; items: string[] }
	/** The staff's question, quoted as written. */
	| { kind: 'info_requested'; question: string }
	/** The return is declined; the staff's reason is quoted as written. Factual and polite, never accusing. */
	| { kind: 'return_rejected'; reason: string };

export type NotificationKind = Notification['kind'];

export interface NotificationContext {
	locale: Locale;
	shopName: string;
	orderNumber: string;
	rma: string;
	/** The customer's /r/<token> page. */
	statusUrl: string;
	/** The items of the return, e.g. "1 × Jean slim W32". */
	items: string[];
	/** IANA zone for dates (a credit's expiry); UTC when not given. */
	timeZone?: string;
}

type Block =
	| { type: 'paragraph'; text: string }
	| { type: 'steps'; heading: string; steps: string[] }
	| { type: 'list'; heading: string; items: string[] }
	/** A value the customer needs to see at a glance: an amount, a store credit code. */
	| { type: 'highlight'; label: string; value: string; notes: string[]; code?: boolean }
	| { type: 'quote'; text: string };

interface Link {
	label: string;
	url: string;
}

interface Layout {
	subject: string;
	/** The line inbox lists show after the subject. */
	preheader: string;
	blocks: Block[];
	action: Link;
	/** A second, plain link under the first (the status page, when the button leads elsewhere). */
	secondary?: Link;
}

export function renderNotification(n: Notification, ctx: NotificationContext): EmailContent {
	return compose(ctx, layout(n, ctx));
}

function layout(n: Notification, ctx: NotificationContext): Layout {
	const o = { locale: ctx.locale };
	const order = ctx.orderNumber;
	const rma = ctx.rma;
	const p = (text: string): Block => ({ type: 'paragraph', text });
	const money = (amount: number, currency: string) => formatMoney(amount, currency, ctx.locale);
	const status: Link = { label: m.notify_action_status({}, o), url: ctx.statusUrl };

	switch (n.kind) {
		case 'return_accepted': {
			const intro = m.notify_accepted_intro({ rma, order }, o);
			const next = nextStep(n, ctx);
			return {
				subject: m.notify_accepted_subject({ order }, o),
				preheader: next.preheader,
				blocks: [p(intro), ...next.blocks, ...outcome(n, ctx).map(p)],
				action: next.action ?? status
			};
		}
		case 'parcel_received': {
			const intro = m.notify_received_intro({ rma }, o);
			return {
				subject: m.notify_received_subject({ order }, o),
				preheader: intro,
				blocks: [p(intro), p(m.notify_received_next({}, o))],
				action: status
			};
		}
		case 'refund_issued': {
			const amount = money(n.amount, n.currency);
			const intro = m.notify_refund_intro({ amount, rma }, o);
			return {
				subject: m.notify_refund_subject({ amount, order }, o),
				preheader: intro,
				blocks: [
					p(intro),
					{ type: 'highlight', label: m.notify_refund_amount_label({}, o), value: amount, notes: [] },
					p(m.notify_refund_delay({}, o))
				],
				action: status
			};
		}
		case 'refund_failed': {
			const intro = m.notify_refund_delayed_intro({ rma }, o);
			return {
				subject: m.notify_refund_delayed_subject({ order }, o),
				preheader: intro,
				blocks: [p(intro), p(m.notify_refund_delayed_next({}, o))],
				action: status
			};
		}
		case 'credit_issued': {
			const amount = money(n.amount, n.currency);
			const intro = m.notify_credit_intro({ rma, shop: ctx.shopName }, o);
			const expiry = n.expiresAt
				? m.notify_credit_expires({ date: formatDate(n.expiresAt, ctx) }, o)
				: m.notify_credit_no_expiry({}, o);
			return {
				subject: m.notify_credit_subject({ amount, order }, o),
				preheader: intro,
				blocks: [
					p(intro),
					{ type: 'highlight', label: m.notify_credit_code_label({}, o), value: n.code, notes: [m.notify_credit_value({ amount }, o), expiry], code: true },
					p(m.notify_credit_keep({}, o))
				],
				action: status
			};
		}
		case 'exchange_payment_needed': {
			const amount = money(n.amount, n.currency);
			const intro = m.notify_exchange_payment_intro({ rma, amount }, o);
			return {
				subject: m.notify_exchange_payment_subject({ order }, o),
				preheader: intro,
				blocks: [
					p(intro),
					{ type: 'highlight', label: m.notify_exchange_payment_amount_label({}, o), value: amount, notes: [] },
					p(m.notify_exchange_payment_next({}, o))
				],
				action: { label: m.notify_exchange_payment_action({ amount }, o), url: n.payUrl },
				secondary: { label: m.notify_status_link({}, o), url: ctx.statusUrl }
			};
		}
		case 'exchange_shipped': {
			const intro = m.notify_exchange_shipped_intro({ rma }, o);
			const blocks: Block[] = [p(intro)];
			if (n.items.length > 0) blocks.push({ type: 'list', heading: m.notify_exchange_shipped_items({}, o), items: n.items });
			blocks.push(p(m.notify_exchange_shipped_next({}, o)));
			return { subject: m.notify_exchange_shipped_subject({ order }, o), preheader: intro, blocks, action: status };
		}
		case 'info_requested': {
			return {
				subject: m.notify_info_subject({ order }, o),
				// The question itself is what the customer needs to see in the inbox.
				preheader: truncate(n.question.replace(/\s+/g, ' ').trim(), 110),
				blocks: [p(m.notify_info_intro({ rma }, o)), { type: 'quote', text: n.question }, p(m.notify_info_next({}, o))],
				action: { label: m.notify_info_action({}, o), url: ctx.statusUrl }
			};
		}
		case 'return_rejected': {
			const intro = m.notify_rejected_intro({ rma, order }, o);
			return {
				subject: m.notify_rejected_subject({ order }, o),
				preheader: intro,
				blocks: [p(intro), p(m.notify_rejected_reason({}, o)), { type: 'quote', text: n.reason }, p(m.notify_rejected_next({}, o))],
				action: status
			};
		}
	}
}

/** What the customer does now, by return method: one set of steps, one button. */
function nextStep(
	n: Extract<Notification, { kind: 'return_accepted' }>,
	ctx: NotificationContext
): { preheader: string; blocks: Block[]; action?: Link } {
	const o = { locale: ctx.locale };
	if (n.method === 'keep') {
		return { preheader: m.notify_accepted_preheader_keep({}, o), blocks: [{ type: 'paragraph', text: m.notify_accepted_keep({}, o) }] };
	}
	const steps =
		n.method === 'label'
			? [
					m.notify_accepted_step_pack({}, o),
					n.hasLabelAttachment ? m.notify_accepted_step_label_attached({}, o) : m.notify_accepted_step_label_page({}, o),
					m.notify_accepted_step_label_drop({}, o)
				]
			: [m.notify_accepted_step_pack({}, o), n.hasLabelAttachment ? m.notify_accepted_step_qr_attached({}, o) : m.notify_accepted_step_qr_page({}, o)];
	const blocks: Block[] = [{ type: 'steps', heading: m.notify_accepted_steps_heading({}, o), steps }];
	if (n.returnWithinDays != null && n.returnWithinDays > 0) {
		blocks.push({ type: 'paragraph', text: m.notify_accepted_deadline({ days: n.returnWithinDays }, o) });
	}
	// Without an attachment, the label or QR code is on the return page: the button goes there by its name.
	const action = n.hasLabelAttachment
		? undefined
		: {
				label: n.method === 'label' ? m.notify_accepted_action_label({}, o) : m.notify_accepted_action_qr({}, o),
				url: ctx.statusUrl
			};
	return {
		preheader: n.method === 'label' ? m.notify_accepted_preheader_label({}, o) : m.notify_accepted_preheader_drop_off({}, o),
		blocks,
		action
	};
}

/** What the customer gets and when. */
function outcome(n: Extract<Notification, { kind: 'return_accepted' }>, ctx: NotificationContext): string[] {
	const o = { locale: ctx.locale };
	// A kept item is never scanned nor inspected: whatever the policy says, the resolution follows the approval.
	const timing = n.method === 'keep' && n.refundTiming !== null ? 'at_approval' : n.refundTiming;
	const messages = {
		refund: {
			at_approval: m.notify_accepted_refund_at_approval,
			at_drop_off: m.notify_accepted_refund_at_drop_off,
			after_inspection: m.notify_accepted_refund_after_inspection,
			unknown: m.notify_accepted_refund_unknown
		},
		store_credit: {
			at_approval: m.notify_accepted_credit_at_approval,
			at_drop_off: m.notify_accepted_credit_at_drop_off,
			after_inspection: m.notify_accepted_credit_after_inspection,
			unknown: m.notify_accepted_credit_unknown
		},
		exchange: {
			at_approval: m.notify_accepted_exchange_at_approval,
			at_drop_off: m.notify_accepted_exchange_at_drop_off,
			after_inspection: m.notify_accepted_exchange_after_inspection,
			unknown: m.notify_accepted_exchange_unknown
		}
	} as const;
	const sentence = messages[n.resolution][timing ?? 'unknown']({}, o);
	return n.resolution === 'refund' ? [sentence, m.notify_refund_delay({}, o)] : [sentence];
}

function formatDate(date: Date, ctx: NotificationContext): string {
	return new Intl.DateTimeFormat(ctx.locale, { dateStyle: 'long', timeZone: ctx.timeZone ?? 'UTC' }).format(date);
}

function truncate(text: string, max: number): string {
	return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/** French puts a no-break space before a colon. */
function colon(locale: Locale): string {
	return locale === 'fr' ? '\u00a0:' : ':';
}

const FONT = `-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif`;
const TEXT = `font-family:${FONT};font-size:16px;line-height:24px;color:#1c1917`;
const SMALL = `font-family:${FONT};font-size:13px;line-height:20px;color:#57534e`;
const SMALL_DARK = `font-family:${FONT};font-size:13px;line-height:20px;color:#1c1917`;
const ACCENT = '#0f766e';

/**
 * Plain text that reads on its own, and an HTML version for mail clients: nested tables and inline styles
 * (Outlook renders with Word, Gmail drops <style>), 560px wide at most.
 */
function compose(ctx: NotificationContext, l: Layout): EmailContent {
	const o = { locale: ctx.locale };
	const c = colon(ctx.locale);
	const greeting = m.notify_greeting({}, o);
	const signoff = m.notify_signoff({}, o);
	const signature = m.notify_signature({ shop: ctx.shopName }, o);
	const fallback = m.notify_link_fallback({}, o);
	const details: { label: string; values: string[]; list: boolean }[] = [
		{ label: m.notify_details_rma({}, o), values: [ctx.rma], list: false },
		{ label: m.notify_details_order({}, o), values: [ctx.orderNumber], list: false }
	];
	if (ctx.items.length > 0) details.push({ label: m.notify_details_items({}, o), values: ctx.items, list: true });

	const text = [
		greeting,
		...l.blocks.map((b) => blockText(b, c)),
		`${l.action.label}${c}\n${l.action.url}`,
		...(l.secondary ? [`${l.secondary.label}${c}\n${l.secondary.url}`] : []),
		details.map((d) => (d.list ? `${d.label}${c}\n${d.values.map((v) => `- ${v}`).join('\n')}` : `${d.label}${c} ${d.values.join(', ')}`)).join('\n'),
		`${signoff}\n${signature}`
	].join('\n\n');

	const e = escapeHtml;
	const para = (s: string) => `<p style="margin:0 0 16px;${TEXT}">${e(s)}</p>`;
	const actionUrl = e(l.action.url);
	const detailRows = details
		.map(
			(d) =>
				`<tr><td valign="top" style="padding:4px 16px 4px 0;${SMALL};white-space:nowrap">${e(d.label)}</td><td valign="top" style="padding:4px 0;${SMALL_DARK}">${d.values.map(e).join('<br>')}</td></tr>`
		)
		.join('\n');
	const html = `<!doctype html>
<html lang="${ctx.locale}" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<meta name="color-scheme" content="light">
<title>${e(l.subject)}</title>
</head>
<body style="margin:0;padding:0;background-color:#f5f5f4">
<div style="display:none;max-height:0;max-width:0;overflow:hidden;opacity:0;mso-hide:all;font-size:1px;line-height:1px;color:#f5f5f4">${e(l.preheader)}${'&#8199;&#65279;&#847; '.repeat(30)}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f5f5f4">
<tr><td align="center" style="padding:24px 12px">
<!--[if mso]><table role="presentation" width="560" cellpadding="0" cellspacing="0" border="0"><tr><td><![endif]-->
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:560px;background-color:#ffffff;border:1px solid #e7e5e4;border-radius:12px">
<tr><td style="padding:24px 32px 0;font-family:${FONT};font-size:14px;line-height:20px;font-weight:700;color:${ACCENT}">${e(ctx.shopName)}</td></tr>
<tr><td style="padding:16px 32px 32px;${TEXT}">
${para(greeting)}
${l.blocks.map(blockHtml).join('\n')}
<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 16px"><tr><td align="center" bgcolor="${ACCENT}" style="border-radius:8px;background-color:${ACCENT}"><a href="${actionUrl}" target="_blank" style="display:inline-block;padding:12px 24px;font-family:${FONT};font-size:16px;line-height:24px;font-weight:600;color:#ffffff;text-decoration:none;border-radius:8px">${e(l.action.label)}</a></td></tr></table>
<p style="margin:0 0 16px;${SMALL}">${e(fallback)}${c}<br><a href="${actionUrl}" style="color:#115e59;word-break:break-all">${actionUrl}</a></p>
${l.secondary ? `<p style="margin:0 0 16px;${SMALL}">${e(l.secondary.label)}${c}<br><a href="${e(l.secondary.url)}" style="color:#115e59;word-break:break-all">${e(l.secondary.url)}</a></p>\n` : ''}<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 24px;border-top:1px solid #e7e5e4"><tr><td style="padding-top:12px">
<table role="presentation" cellpadding="0" cellspacing="0" border="0">
${detailRows}
</table>
</td></tr></table>
<p style="margin:0;${TEXT}">${e(signoff)}<br>${e(signature)}</p>
</td></tr>
</table>
<!--[if mso]></td></tr></table><![endif]-->
</td></tr>
</table>
</body>
</html>`;
	return { subject: l.subject, text, html };
}

function blockText(b: Block, c: string): string {
	switch (b.type) {
		case 'paragraph':
			return b.text;
		case 'steps':
			return `${b.heading}${c}\n${b.steps.map((s, i) => `${i + 1}. ${s}`).join('\n')}`;
		case 'list':
			return `${b.heading}${c}\n${b.items.map((s) => `- ${s}`).join('\n')}`;
		case 'highlight':
			return [`${b.label}${c} ${b.value}`, ...b.notes].join('\n');
		case 'quote':
			return b.text
				.trim()
				.split(/\r?\n/)
				.map((line) => `> ${line}`.trimEnd())
				.join('\n');
	}
}

function blockHtml(b: Block): string {
	const e = escapeHtml;
	switch (b.type) {
		case 'paragraph':
			return `<p style="margin:0 0 16px;${TEXT}">${e(b.text)}</p>`;
		case 'steps':
			return `<p style="margin:8px 0 8px;${TEXT};font-weight:700">${e(b.heading)}</p>
<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 16px">
${b.steps.map((s, i) => `<tr><td valign="top" style="width:28px;padding:0 0 8px;${TEXT};font-weight:700;color:${ACCENT}">${i + 1}.</td><td valign="top" style="padding:0 0 8px;${TEXT}">${e(s)}</td></tr>`).join('\n')}
</table>`;
		case 'list':
			return `<p style="margin:8px 0 8px;${TEXT};font-weight:700">${e(b.heading)}</p>
<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 16px">
${b.items.map((s) => `<tr><td valign="top" style="width:20px;padding:0 0 4px;${TEXT};color:${ACCENT}">&bull;</td><td valign="top" style="padding:0 0 4px;${TEXT}">${e(s)}</td></tr>`).join('\n')}
</table>`;
		case 'highlight': {
			const value = b.code
				? `<p style="margin:4px 0;font-family:'Courier New',Courier,monospace;font-size:28px;line-height:36px;font-weight:700;letter-spacing:2px;color:#1c1917;word-break:break-all">${e(b.value)}</p>`
				: `<p style="margin:4px 0;font-family:${FONT};font-size:24px;line-height:32px;font-weight:700;color:#1c1917">${e(b.value)}</p>`;
			return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 16px"><tr><td align="center" bgcolor="#f0fdfa" style="padding:20px 16px;background-color:#f0fdfa;border:${b.code ? '2px dashed' : '1px solid'} ${ACCENT};border-radius:8px">
<p style="margin:0;${SMALL}">${e(b.label)}</p>
${value}
${b.notes.map((note) => `<p style="margin:0;${SMALL_DARK}">${e(note)}</p>`).join('\n')}
</td></tr></table>`;
		}
		case 'quote':
			return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 16px"><tr><td style="padding:12px 16px;background-color:#f5f5f4;border-left:4px solid ${ACCENT};${TEXT}">${e(b.text.trim()).replace(/\r?\n/g, '<br>')}</td></tr></table>`;
	}
}
