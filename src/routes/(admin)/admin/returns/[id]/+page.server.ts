import { error, fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireRole } from '$lib/server/auth/guard';
import { listMembers } from '$lib/server/auth/users';
import { db } from '$lib/server/db';
import { loadReturn, ReturnError } from '$lib/server/returns/service';
import {
	acceptReturn,
	addNote,
	assignReturn,
	holdReturn,
	NOTE_MAX_LENGTH,
	overridePolicy,
	REASON_MAX_LENGTH,
	rejectReturn,
	requestInformation,
	StaffActionError,
	staffActionsFor
} from '$lib/server/staff/actions';
import { resolveHandoff } from '$lib/server/staff/handoffs';
import { loadReturnForStaff } from '$lib/server/staff/return-view';
import { decisionLabels, labelOf } from '../../orders/[id]/status-labels';
import type { Actions, PageServerLoad } from './$types';

const ROLES = ['owner', 'admin', 'staff'] as const;

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { shop, user } = requireRole(locals, ROLES, url);
	const [view, members] = await Promise.all([loadReturnForStaff(db(), shop.id, params.id), listMembers(db(), shop.id)]);
	if (!view) error(404, { message: m.review_not_found() });
	return {
		view,
		available: staffActionsFor(view.return.decisionStatus),
		members: members.map((p) => ({ id: p.userId, name: p.name, email: p.email })),
		me: user.id,
		timeZone: shop.timezone,
		limits: { note: NOTE_MAX_LENGTH, reason: REASON_MAX_LENGTH }
	};
};

type ActionName = 'accept' | 'reject' | 'info' | 'hold' | 'override' | 'note' | 'assign' | 'resolveHandoff';
type ActionEvent = { locals: App.Locals; url: URL; params: { id: string }; request: Request };

/** The member acting and what they posted (actions run before any layout load: each checks the role itself). */
async function posted(event: ActionEvent) {
	const { shop, user } = requireRole(event.locals, ROLES, event.url);
	const form = await event.request.formData();
	const text = (name: string) => String(form.get(name) ?? '');
	return { shopId: shop.id, userId: user.id, target: { shopId: shop.id, returnId: event.params.id }, text };
}

const done = (action: ActionName, success: string) => ({ action, success });

/** A refusal in the staff's words, beside the form it concerns, with what they typed kept. */
async function refused(action: ActionName, shopId: string, returnId: string, e: unknown, value?: string, about: Record<string, string> = {}) {
	const keep = { ...(value === undefined ? {} : { value }), ...about };
	if (e instanceof StaffActionError) {
		const error = {
			note_required: () => (action === 'resolveHandoff' ? m.review_handoff_error_note_required() : m.review_error_note_required()),
			too_long: () => m.review_error_too_long({ max: action === 'note' || action === 'resolveHandoff' ? NOTE_MAX_LENGTH : REASON_MAX_LENGTH }),
			not_a_member: () => m.review_error_not_member(),
			not_overridable: () => m.review_error_not_overridable(),
			conversation_not_found: () => m.review_handoff_error_gone(),
			handoff_not_waiting: () => m.review_handoff_error_not_waiting()
		}[e.code]();
		const status = e.code === 'conversation_not_found' ? 404 : e.code === 'not_overridable' || e.code === 'handoff_not_waiting' ? 409 : 400;
		return fail(status, { action, error, field: e.field ?? null, ...keep });
	}
	if (!(e instanceof ReturnError)) throw e;
	switch (e.code) {
		case 'return_not_found':
			return fail(404, { action, error: m.review_error_gone(), field: null });
		case 'reason_required':
			return fail(400, { action, error: action === 'info' ? m.review_error_question_required() : m.review_error_reason_required(), field: e.field ?? null, ...keep });
		case 'quantity_exceeded':
			return fail(409, { action, error: m.review_error_units_taken(), field: null, ...keep });
		default: {
			// The decision moved on (someone else decided, or the page was stale): say where it stands now.
			const now = await loadReturn(db(), shopId, returnId);
			const status = now ? labelOf(decisionLabels, now.decisionStatus) : '';
			return fail(409, { action, error: m.review_error_not_allowed({ status }), field: null, ...keep });
		}
	}
}

export const actions: Actions = {
	accept: async (event) => {
		const { shopId, userId, target } = await posted(event);
		try {
			await acceptReturn(db(), target, userId);
		} catch (e) {
			return refused('accept', shopId, target.returnId, e);
		}
		return done('accept', m.review_done_accepted());
	},

	reject: async (event) => {
		const { shopId, userId, target, text } = await posted(event);
		const reason = text('reason');
		// The no-JavaScript form confirms with a checkbox; the enhanced one asks in a dialog and sets it.
		if (text('confirm') !== 'yes') return fail(400, { action: 'reject' as const, error: m.review_error_confirm(), field: 'confirm', value: reason });
		try {
			await rejectReturn(db(), { ...target, reason }, userId);
		} catch (e) {
			return refused('reject', shopId, target.returnId, e, reason);
		}
		return done('reject', m.review_done_rejected());
	},

	info: async (event) => {
		const { shopId, userId, target, text } = await posted(event);
		const question = text('question');
		try {
			await requestInformation(db(), { ...target, question }, userId);
		} catch (e) {
			return refused('info', shopId, target.returnId, e, question);
		}
		return done('info', m.review_done_info());
	},

	hold: async (event) => {
		const { shopId, userId, target, text } = await posted(event);
		const reason = text('reason');
		try {
			await holdReturn(db(), { ...target, reason }, userId);
		} catch (e) {
			return refused('hold', shopId, target.returnId, e, reason);
		}
		return done('hold', m.review_done_hold());
	},

	override: async (event) => {
		const { shopId, userId, target, text } = await posted(event);
		const reason = text('reason');
		try {
			await overridePolicy(db(), { ...target, reason, to: 'accepted' }, userId);
		} catch (e) {
			return refused('override', shopId, target.returnId, e, reason);
		}
		return done('override', m.review_done_override());
	},

	note: async (event) => {
		const { shopId, userId, target, text } = await posted(event);
		const body = text('body');
		try {
			await addNote(db(), { ...target, body }, userId);
		} catch (e) {
			return refused('note', shopId, target.returnId, e, body);
		}
		return done('note', m.review_done_note());
	},

	assign: async (event) => {
		const { shopId, userId, target, text } = await posted(event);
		// "me" is the quick button's value, so the form works without knowing the member's id in the markup.
		const chosen = text('assignee');
		const assigneeId = chosen === '' ? null : chosen === 'me' ? userId : chosen;
		try {
			const { assignee } = await assignReturn(db(), { ...target, assigneeId }, userId);
			return done('assign', assignee ? m.review_done_assigned({ name: assignee.name || assignee.email }) : m.review_done_unassigned());
		} catch (e) {
			return refused('assign', shopId, target.returnId, e);
		}
	},

	/** The customer asked for a person (in this return's conversation or a later one of its order) and was answered. */
	resolveHandoff: async (event) => {
		const { shopId, userId, target, text } = await posted(event);
		const note = text('note');
		const conversationId = text('conversationId');
		try {
			await resolveHandoff(db(), shopId, conversationId, note, { kind: 'staff', id: userId }, { returnId: target.returnId });
		} catch (e) {
			return refused('resolveHandoff', shopId, target.returnId, e, note, { conversationId });
		}
		return { ...done('resolveHandoff', m.review_handoff_done()), conversationId };
	}
};
