import { m } from '$lib/paraglide/messages';
import type { Locale } from '../shops/service';

export interface EmailContent {
	subject: string;
	text: string;
	html: string;
}

export function passwordResetEmail(locale: Locale, input: { url: string; email: string }): EmailContent {
	const o = { locale };
	return compose(locale, {
		subject: m.auth_email_reset_subject({}, o),
		paragraphs: [m.auth_email_reset_intro({ email: input.email }, o)],
		action: { label: m.auth_email_reset_action({}, o), url: input.url },
		after: [m.auth_email_reset_expiry({}, o), m.auth_email_reset_ignore({}, o)]
	});
}

export function invitationEmail(
	locale: Locale,
	input: { url: string; shopName: string; inviterName: string; role: 'admin' | 'staff' }
): EmailContent {
	const o = { locale };
	const role = input.role === 'admin' ? m.auth_role_admin({}, o) : m.auth_role_staff({}, o);
	return compose(locale, {
		subject: m.auth_email_invite_subject({ shop: input.shopName }, o),
		paragraphs: [m.auth_email_invite_intro({ inviter: input.inviterName, shop: input.shopName, role }, o)],
		action: { label: m.auth_email_invite_action({}, o), url: input.url },
		after: [m.auth_email_invite_expiry({}, o), m.auth_email_invite_ignore({}, o)]
	});
}

export function withdrawalEmail(
	locale: Locale,
	input: { url: string; shopName: string; orderNumber: string; date: string; rma: string; total: string }
): EmailContent {
	const o = { locale };
	return compose(locale, {
		subject: m.customer_email_withdrawal_subject({ number: input.orderNumber }, o),
		paragraphs: [
			m.customer_email_withdrawal_intro({ number: input.orderNumber, shop: input.shopName, date: input.date, rma: input.rma }, o),
			m.customer_email_withdrawal_refund({ total: input.total }, o)
		],
		action: { label: m.customer_email_withdrawal_action({}, o), url: input.url },
		after: []
	});
}

interface Parts {
	subject: string;
	paragraphs: string[];
	action: { label: string; url: string };
	after: string[];
}

/** Plain text first (what the outbox shows), and a simple HTML version with inline styles for mail clients. */
function compose(locale: Locale, parts: Parts): EmailContent {
	const o = { locale };
	const greeting = m.auth_email_greeting({}, o);
	const fallback = m.auth_email_link_fallback({}, o);
	const signature = m.auth_email_signature({}, o);
	const text = [
		greeting,
		...parts.paragraphs,
		// French puts a space before a colon.
		`${parts.action.label}${locale === 'fr' ? '\u00a0:' : ':'}\n${parts.action.url}`,
		...parts.after,
		signature
	].join('\n\n');
	const p = (s: string) => `<p style="margin:0 0 16px;line-height:1.5">${escapeHtml(s)}</p>`;
	const url = escapeHtml(parts.action.url);
	const html = `<!doctype html>
<html lang="${locale}">
<head><meta charset="utf-8"><title>${escapeHtml(parts.subject)}</title></head>
<body style="margin:0;padding:24px;background:#f5f5f4;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#1c1917">
<div style="max-width:520px;margin:0 auto;background:#ffffff;border:1px solid #e7e5e4;border-radius:12px;padding:32px">
${p(greeting)}
${parts.paragraphs.map(p).join('\n')}
<p style="margin:24px 0"><a href="${url}" style="display:inline-block;background:#0f766e;color:#ffffff;text-decoration:none;font-weight:600;padding:12px 20px;border-radius:8px">${escapeHtml(parts.action.label)}</a></p>
${parts.after.map(p).join('\n')}
<p style="margin:0 0 16px;line-height:1.5;font-size:13px;color:#57534e">${escapeHtml(fallback)}<br><a href="${url}" style="color:#115e59;word-break:break-all">${url}</a></p>
${p(signature)}
</div>
</body>
</html>`;
	return { subject: parts.subject, text, html };
}

export function escapeHtml(value: string): string {
	return value
		.replaceAll('&', '&amp;')
		.replaceAll('<', '&lt;')
		.replaceAll('>', '&gt;')
		.replaceAll('"', '&quot;')
		.replaceAll("'", '&#39;');
}
