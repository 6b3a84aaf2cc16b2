import { m } from '$lib/paraglide/messages';

/** Shared by the outbox list and one email's page. */
export const statusLabel = {
	outbox: m.auth_outbox_status_outbox,
	sent: m.auth_outbox_status_sent,
	failed: m.auth_outbox_status_failed
} as const;

export const statusClass = {
	outbox: 'bg-amber-100 text-amber-900',
	sent: 'bg-emerald-100 text-emerald-900',
	failed: 'bg-red-100 text-red-900'
} as const;

const kindLabels: Record<string, () => string> = {
	password_reset: m.auth_outbox_kind_password_reset,
	invitation: m.auth_outbox_kind_invitation
};

export function kindLabel(kind: string): string {
	return kindLabels[kind]?.() ?? kind;
}
