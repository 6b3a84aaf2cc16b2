import type { Queryable } from '../db';
import type { Message } from '../conversation/engine';
import { handoffOf, type HandoffRow } from '../conversation/staff';
import type { PhotoType } from '../conversation/photos';
import { returnedQuantities, type RequestedResolution } from '../returns/service';
import type { ActorKind } from '../returns/events';
import type { DecisionStatus, ReceptionStatus, ResolutionStatus } from '../returns/lifecycle';
import type { Quote } from '../policy/quote';
import type { Eligibility, RefundTiming, Resolution } from '$lib/policy/vocabulary';
import { mulDivHalfUp } from '../policy/quote';
import { getRiskAssessment, type StoredAssessment } from '../risk/assessments';
import { listMatches, type ListMatches } from '../risk/lists';
import { listSelectableReasons, type SelectableReason } from '../shops/service';

/**
 * Everything a staff member reads to decide on one return, in one call: the items, the order, the customer's
 * history, the risk score and the policy's explanation as they stood when it was asked for, the customer's
 * words and photos, what inspection found, and the history. Reads only.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
type Money = { amount: number; currency: string };
export interface Person {
	id: string;
	name: string;
	email: string;
}

export interface StaffReturnLine {
	id: string;
	orderLineId: string;
	title: string;
	variantTitle: string | null;
	sku: string | null;
	productId: string | null;
	variantId: string | null;
	quantity: number;
	orderedQuantity: number;
	unitPrice: Money;
	reasonCode: string;
	reason: { en: string; fr: string } | null;
	comment: string | null;
	requestedResolution: RequestedResolution | null;
	resolutionStatus: ResolutionStatus;
	/** What the customer asked for instead (another size, another product), by name. */
	exchangeFor: string | null;
	/** The structured answers, as text ("fit.direction" → "too_small"). */
	answers: { question: string; value: string }[];
}

export interface CustomerHistory {
	id: string;
	email: string;
	name: string | null;
	orders: number;
	/** Returns asked for, this one included; cancelled ones are not counted (nothing came back). */
	returns: number;
	orderedUnits: number;
	returnedUnits: number;
	/** Returned units ÷ ordered units, in basis points (2,500 = 25 %); null without orders. */
	unitRateBasisPoints: number | null;
	/** Goods value returned and ordered, in the order's currency only (other currencies are left out). */
	orderedValue: Money;
	returnedValue: Money;
	valueRateBasisPoints: number | null;
	notReceivedClaims: number;
	/** The customer's other returns, newest first (at most 50). */
	otherReturns: {
		id: string;
		rma: string;
		orderId: string;
		orderNumber: string;
		decisionStatus: DecisionStatus;
		receptionStatus: ReceptionStatus;
		requestedAt: Date;
		units: number;
	}[];
}

export interface PolicyExplanation {
	versionNumber: number | null;
	eligibility: Eligibility;
	lines: { orderLineId: string; eligibility: Eligibility; explanation: { en: string; fr: string }; rules: { id: string; name: string }[] }[];
	quote: Quote | null;
}

export interface StaffPhoto {
	id: string;
	contentType: PhotoType;
}

export interface StaffInspection {
	returnLineId: string;
	/** Null when photos were taken but no finding recorded yet. */
	finding: {
		condition: 'new' | 'opened' | 'used' | 'damaged' | 'wrong_item' | 'missing';
		disposition: 'restock' | 'refurbish' | 'donate' | 'discard' | null;
		restockedQuantity: number;
		stopsRefund: boolean;
		note: string | null;
		inspectedBy: Person | null;
		inspectedAt: Date;
	} | null;
	photos: StaffPhoto[];
}

export interface StaffEvent {
	id: number;
	type: string;
	actorKind: ActorKind;
	actorId: string | null;
	/** The staff member who acted, when the actor is one still known. */
	actor: Person | null;
	payload: Record<string, unknown>;
	/** For return.assigned: the person assigned (null: unassigned, or no longer a user). */
	assignee: Person | null;
	createdAt: Date;
}

export interface StaffReturnView {
	return: {
		id: string;
		rma: string;
		decisionStatus: DecisionStatus;
		receptionStatus: ReceptionStatus;
		channel: string;
		isWithdrawal: boolean;
		currency: string;
		locale: 'en' | 'fr' | null;
		requestedAt: Date;
		closedAt: Date | null;
		returnMethod: 'label' | 'drop_off' | 'keep' | null;
		refundTiming: RefundTiming | null;
		quote: (Quote & { resolution: Resolution }) | null;
		assignee: Person | null;
	};
	lines: StaffReturnLine[];
	order: {
		id: string;
		number: string;
		orderedAt: Date;
		deliveredAt: Date | null;
		total: Money;
		email: string;
		shippingAddress: { name: string; line1: string; line2: string | null; postalCode: string; city: string; region: string | null; country: string };
	};
	customer: CustomerHistory;
	risk: StoredAssessment | null;
	/** The order's entries on the shop's block and allow lists now, with the reasons staff wrote. */
	lists: ListMatches;
	policy: PolicyExplanation | null;
	conversation: {
		id: string;
		step: string;
		locale: 'en' | 'fr';
		startedAt: Date;
		handoffRequestedAt: Date | null;
		/** The customer asked for a person and no answer has been recorded since. */
		handoffWaiting: boolean;
		handoffResolvedAt: Date | null;
		/** What the staff member did or told the customer. */
		handoffResolution: string | null;
		handoffResolvedBy: Person | null;
		transcript: Message[];
		photos: StaffPhoto[];
	} | null;
	/**
	 * Requests for a person the customer made in later conversations of the order (asking for a person ends a
	 * conversation before any return is tied to it): the queue lists this return for them, so they are answered here.
	 */
	handoffs: StaffHandoff[];
	inspections: StaffInspection[];
	events: StaffEvent[];
}

/** A conversation where the customer asked for a person, and the answer recorded if any. */
export interface StaffHandoff {
	id: string;
	locale: 'en' | 'fr';
	handoffRequestedAt: Date;
	handoffWaiting: boolean;
	handoffResolvedAt: Date | null;
	handoffResolution: string | null;
	handoffResolvedBy: Person | null;
	transcript: Message[];
}

const person = (id: string | null, name: string | null, email: string | null): Person | null =>
	id && email ? { id, name: name ?? '', email } : null;

export async function loadReturnForStaff(sql: Queryable, shopId: string, returnId: string): Promise<StaffReturnView | null> {
	if (!UUID.test(returnId)) return null;
	const [r] = await sql<
		{
			id: string;
			rma: string;
			decision_status: DecisionStatus;
			reception_status: ReceptionStatus;
			channel: string;
			is_withdrawal: boolean;
			currency: string;
			locale: 'en' | 'fr' | null;
			requested_at: Date;
			closed_at: Date | null;
			return_method: 'label' | 'drop_off' | 'keep' | null;
			refund_timing: RefundTiming | null;
			quote: (Quote & { resolution: Resolution }) | null;
			customer_id: string;
			assignee_id: string | null;
			assignee_name: string | null;
			assignee_email: string | null;
			order_id: string;
			order_number: string;
			ordered_at: Date;
			delivered_at: Date | null;
			total_amount: number;
			order_currency: string;
			order_email: string;
			ship_name: string;
			ship_line1: string;
			ship_line2: string | null;
			ship_postal_code: string;
			ship_city: string;
			ship_region: string | null;
			ship_country: string;
		}[]
	>`
		select r.id, r.rma, r.decision_status, r.reception_status, r.channel, r.is_withdrawal, r.currency, r.locale,
			r.requested_at, r.closed_at, r.return_method, r.refund_timing, r.quote, r.customer_id,
			u.id as assignee_id, u.name as assignee_name, u.email as assignee_email,
			o.id as order_id, o.order_number, o.ordered_at, o.delivered_at, o.total_amount, o.currency as order_currency, o.email as order_email,
			o.ship_name, o.ship_line1, o.ship_line2, o.ship_postal_code, o.ship_city, o.ship_region, o.ship_country
		from returns r join orders o on o.id = r.order_id left join users u on u.id = r.assigned_to
		where r.shop_id = ${shopId} and r.id = ${returnId}`;
	if (!r) return null;
	const currency = r.order_currency.trim();

	const [lines, customer, risk, lists, policy, conversation, handoffs, inspections, events] = await Promise.all([
		returnLines(sql, shopId, returnId),
		customerHistory(sql, shopId, r.customer_id, returnId, currency),
		getRiskAssessment(sql, shopId, returnId),
		listMatches(sql, shopId, r.order_id),
		policyExplanation(sql, shopId, returnId),
		returnConversation(sql, shopId, returnId),
		laterHandoffs(sql, shopId, r.order_id, r.requested_at),
		returnInspections(sql, shopId, returnId),
		staffEvents(sql, shopId, returnId)
	]);
	return {
		return: {
			id: r.id,
			rma: r.rma,
			decisionStatus: r.decision_status,
			receptionStatus: r.reception_status,
			channel: r.channel,
			isWithdrawal: r.is_withdrawal,
			currency: r.currency.trim(),
			locale: r.locale,
			requestedAt: r.requested_at,
			closedAt: r.closed_at,
			returnMethod: r.return_method,
			refundTiming: r.refund_timing,
			quote: r.quote,
			assignee: person(r.assignee_id, r.assignee_name, r.assignee_email)
		},
		lines,
		order: {
			id: r.order_id,
			number: r.order_number,
			orderedAt: r.ordered_at,
			deliveredAt: r.delivered_at,
			total: { amount: r.total_amount, currency },
			email: r.order_email,
			shippingAddress: {
				name: r.ship_name,
				line1: r.ship_line1,
				line2: r.ship_line2,
				postalCode: r.ship_postal_code,
				city: r.ship_city,
				region: r.ship_region,
				country: r.ship_country.trim()
			}
		},
		customer,
		risk,
		lists,
		policy,
		conversation,
		handoffs,
		inspections,
		events
	};
}

async function returnLines(sql: Queryable, shopId: string, returnId: string): Promise<StaffReturnLine[]> {
	const [rows, answers] = await Promise.all([
		sql<
			{
				id: string;
				order_line_id: string;
				quantity: number;
				reason_code: string;
				customer_comment: string | null;
				requested_resolution: RequestedResolution | null;
				resolution_status: ResolutionStatus;
				title: string;
				variant_title: string | null;
				sku: string | null;
				product_id: string | null;
				variant_id: string | null;
				ordered_quantity: number;
				unit_price_amount: number;
				currency: string;
				label_en: string | null;
				label_fr: string | null;
				exchange_variant: string | null;
				exchange_product: string | null;
			}[]
		>`
			select rl.id, rl.order_line_id, rl.quantity, rl.reason_code, rl.customer_comment, rl.requested_resolution, rl.resolution_status,
				ol.title, ol.variant_title, ol.sku, ol.product_id, ol.variant_id, ol.quantity as ordered_quantity, ol.unit_price_amount,
				o.currency, rr.label_en, rr.label_fr,
				nullif(concat_ws(' — ', ep2.title, ev.title), '') as exchange_variant, ep.title as exchange_product
			from return_lines rl
			join order_lines ol on ol.id = rl.order_line_id
			join orders o on o.id = ol.order_id
			left join return_reasons rr on rr.shop_id = rl.shop_id and rr.code = rl.reason_code
			left join variants ev on ev.id = rl.exchange_variant_id
			left join products ep2 on ep2.id = ev.product_id
			left join products ep on ep.id = rl.exchange_product_id
			where rl.shop_id = ${shopId} and rl.return_id = ${returnId}
			order by ol.position, rl.id`,
		sql<{ return_line_id: string; question: string; value: string }[]>`
			select a.return_line_id, a.question,
				coalesce(a.text_value, a.number_value::text, a.boolean_value::text, d.brand || ' ' || d.model, '') as value
			from return_answers a join return_lines rl on rl.id = a.return_line_id
			left join devices d on d.id = a.device_id
			where rl.shop_id = ${shopId} and rl.return_id = ${returnId}
			order by a.question`
	]);
	return rows.map((l) => ({
		id: l.id,
		orderLineId: l.order_line_id,
		title: l.title,
		variantTitle: l.variant_title,
		sku: l.sku,
		productId: l.product_id,
		variantId: l.variant_id,
		quantity: l.quantity,
		orderedQuantity: l.ordered_quantity,
		unitPrice: { amount: l.unit_price_amount, currency: l.currency.trim() },
		reasonCode: l.reason_code,
		reason: l.label_en !== null && l.label_fr !== null ? { en: l.label_en, fr: l.label_fr } : null,
		comment: l.customer_comment,
		requestedResolution: l.requested_resolution,
		resolutionStatus: l.resolution_status,
		exchangeFor: l.exchange_variant ?? l.exchange_product,
		answers: answers.filter((a) => a.return_line_id === l.id).map((a) => ({ question: a.question, value: a.value }))
	}));
}

const rate = (part: number, whole: number) => (whole > 0 ? mulDivHalfUp(part, 10_000, whole) : null);

async function customerHistory(sql: Queryable, shopId: string, customerId: string, returnId: string, currency: string): Promise<CustomerHistory> {
	const [[c], others] = await Promise.all([
		sql<
			{
				id: string;
				email: string;
				name: string | null;
				orders: number;
				returns: number;
				ordered_units: number;
				returned_units: number;
				ordered_value: number;
				returned_value: number;
				claims: number;
			}[]
		>`
			select c.id, c.email, nullif(trim(concat_ws(' ', c.first_name, c.last_name)), '') as name,
				(select count(*)::int from orders o where o.shop_id = c.shop_id and o.customer_id = c.id) as orders,
				(select count(*)::int from returns r where r.shop_id = c.shop_id and r.customer_id = c.id
					and r.decision_status <> 'cancelled') as returns,
				(select coalesce(sum(ol.quantity), 0)::int from order_lines ol join orders o on o.id = ol.order_id
					where o.shop_id = c.shop_id and o.customer_id = c.id) as ordered_units,
				(select coalesce(sum(rl.quantity), 0)::int from return_lines rl join returns r on r.id = rl.return_id
					where r.shop_id = c.shop_id and r.customer_id = c.id and r.decision_status <> 'cancelled') as returned_units,
				(select coalesce(sum(ol.total_amount), 0)::int8 from order_lines ol join orders o on o.id = ol.order_id
					where o.shop_id = c.shop_id and o.customer_id = c.id and o.currency = ${currency}) as ordered_value,
				-- A line's share of what was paid for it, for the units sent back.
				(select coalesce(sum(round(ol.total_amount::numeric * rl.quantity / ol.quantity)), 0)::int8
					from return_lines rl join returns r on r.id = rl.return_id
					join order_lines ol on ol.id = rl.order_line_id join orders o on o.id = ol.order_id
					where r.shop_id = c.shop_id and r.customer_id = c.id and r.decision_status <> 'cancelled'
						and o.currency = ${currency}) as returned_value,
				(select count(*)::int from order_claims k where k.shop_id = c.shop_id and k.customer_id = c.id and k.kind = 'not_received') as claims
			from customers c where c.shop_id = ${shopId} and c.id = ${customerId}`,
		sql<
			{
				id: string;
				rma: string;
				order_id: string;
				order_number: string;
				decision_status: DecisionStatus;
				reception_status: ReceptionStatus;
				requested_at: Date;
				units: number;
			}[]
		>`
			select r.id, r.rma, o.id as order_id, o.order_number, r.decision_status, r.reception_status, r.requested_at,
				(select coalesce(sum(rl.quantity), 0)::int from return_lines rl where rl.return_id = r.id) as units
			from returns r join orders o on o.id = r.order_id
			where r.shop_id = ${shopId} and r.customer_id = ${customerId} and r.id <> ${returnId}
			order by r.requested_at desc, r.rma limit 50`
	]);
	return {
		id: c.id,
		email: c.email,
		name: c.name,
		orders: c.orders,
		returns: c.returns,
		orderedUnits: c.ordered_units,
		returnedUnits: c.returned_units,
		unitRateBasisPoints: rate(c.returned_units, c.ordered_units),
		orderedValue: { amount: c.ordered_value, currency },
		returnedValue: { amount: c.returned_value, currency },
		valueRateBasisPoints: rate(c.returned_value, c.ordered_value),
		notReceivedClaims: c.claims,
		otherReturns: others.map((o) => ({
			id: o.id,
			rma: o.rma,
			orderId: o.order_id,
			orderNumber: o.order_number,
			decisionStatus: o.decision_status,
			receptionStatus: o.reception_status,
			requestedAt: o.requested_at,
			units: o.units
		}))
	};
}

/** The policy's decision as recorded with the return (the return.created event), with its rules by name. */
async function policyExplanation(sql: Queryable, shopId: string, returnId: string): Promise<PolicyExplanation | null> {
	type Recorded = {
		versionId: string;
		eligibility: Eligibility;
		lines: { orderLineId: string; eligibility: Eligibility; explanation: { en: string; fr: string }; matchedRules?: string[] }[];
		quote: Quote | null;
	};
	const [row] = await sql<{ policy: Recorded | null; version_number: number | null; rules: { id: string; name: string }[] | null }[]>`
		select e.payload -> 'policy' as policy, v.number as version_number, v.document -> 'rules' as rules
		from return_events e
		left join policy_versions v on v.shop_id = e.shop_id and v.id::text = e.payload -> 'policy' ->> 'versionId'
		where e.shop_id = ${shopId} and e.return_id = ${returnId} and e.type = 'return.created'
		order by e.id limit 1`;
	if (!row?.policy) return null;
	const names = new Map((row.rules ?? []).map((r) => [r.id, r.name]));
	return {
		versionNumber: row.version_number,
		eligibility: row.policy.eligibility,
		lines: (row.policy.lines ?? []).map((l) => ({
			orderLineId: l.orderLineId,
			eligibility: l.eligibility,
			explanation: l.explanation,
			rules: (l.matchedRules ?? []).map((id) => ({ id, name: names.get(id) ?? id }))
		})),
		quote: row.policy.quote ?? null
	};
}

async function returnConversation(sql: Queryable, shopId: string, returnId: string): Promise<StaffReturnView['conversation']> {
	const [c] = await sql<
		(HandoffRow & { id: string; step: string; locale: 'en' | 'fr'; created_at: Date; transcript: Message[] | null; photos: StaffPhoto[] | null })[]
	>`
		select c.id, c.step, c.locale, c.created_at, c.handoff_requested_at, c.handoff_resolved_at, c.handoff_resolution,
			u.id as resolver_id, u.name as resolver_name, u.email as resolver_email, c.state -> 'transcript' as transcript,
			(select json_agg(json_build_object('id', p.id, 'contentType', p.content_type) order by p.created_at, p.id)
				from conversation_photos p where p.conversation_id = c.id) as photos
		from conversations c left join users u on u.id = c.handoff_resolved_by
		where c.shop_id = ${shopId} and c.return_id = ${returnId}`;
	if (!c) return null;
	return {
		id: c.id,
		step: c.step,
		locale: c.locale,
		startedAt: c.created_at,
		...handoffOf(c),
		transcript: Array.isArray(c.transcript) ? c.transcript : [],
		photos: parseJson(c.photos) ?? []
	};
}

/** The order's conversations tied to no return where the customer asked for a person at or after `since`. */
async function laterHandoffs(sql: Queryable, shopId: string, orderId: string, since: Date): Promise<StaffHandoff[]> {
	const rows = await sql<(HandoffRow & { id: string; locale: 'en' | 'fr'; handoff_requested_at: Date; transcript: Message[] | null })[]>`
		select c.id, c.locale, c.handoff_requested_at, c.handoff_resolved_at, c.handoff_resolution,
			u.id as resolver_id, u.name as resolver_name, u.email as resolver_email, c.state -> 'transcript' as transcript
		from conversations c left join users u on u.id = c.handoff_resolved_by
		where c.shop_id = ${shopId} and c.order_id = ${orderId} and c.return_id is null and c.handoff_requested_at >= ${since}
		order by c.handoff_requested_at desc`;
	return rows.map((c) => ({
		id: c.id,
		locale: c.locale,
		...handoffOf(c),
		handoffRequestedAt: c.handoff_requested_at,
		transcript: Array.isArray(c.transcript) ? c.transcript : []
	}));
}

async function returnInspections(sql: Queryable, shopId: string, returnId: string): Promise<StaffInspection[]> {
	const rows = await sql<
		{
			id: string;
			condition: NonNullable<StaffInspection['finding']>['condition'] | null;
			disposition: NonNullable<StaffInspection['finding']>['disposition'];
			restocked_quantity: number | null;
			stops_refund: boolean | null;
			note: string | null;
			inspected_at: Date | null;
			user_id: string | null;
			user_name: string | null;
			user_email: string | null;
			photos: StaffPhoto[] | null;
		}[]
	>`
		select rl.id, i.condition, i.disposition, i.restocked_quantity, i.stops_refund, i.note, i.inspected_at,
			u.id as user_id, u.name as user_name, u.email as user_email,
			(select json_agg(json_build_object('id', p.id, 'contentType', p.content_type) order by p.created_at, p.id)
				from inspection_photos p where p.shop_id = rl.shop_id and p.return_line_id = rl.id) as photos
		from return_lines rl
		join order_lines ol on ol.id = rl.order_line_id
		left join return_line_inspections i on i.return_line_id = rl.id
		left join users u on u.id = i.inspected_by
		where rl.shop_id = ${shopId} and rl.return_id = ${returnId}
		order by ol.position, rl.id`;
	return rows
		.map((r) => ({
			returnLineId: r.id,
			finding:
				r.condition === null
					? null
					: {
							condition: r.condition,
							disposition: r.disposition,
							restockedQuantity: r.restocked_quantity ?? 0,
							stopsRefund: r.stops_refund ?? false,
							note: r.note,
							inspectedBy: person(r.user_id, r.user_name, r.user_email),
							inspectedAt: r.inspected_at!
						},
			photos: parseJson(r.photos) ?? []
		}))
		.filter((i) => i.finding !== null || i.photos.length > 0);
}

async function staffEvents(sql: Queryable, shopId: string, returnId: string): Promise<StaffEvent[]> {
	const rows = await sql<
		{
			id: number;
			type: string;
			actor_kind: ActorKind;
			actor_id: string | null;
			payload: Record<string, unknown>;
			created_at: Date;
			actor_user_id: string | null;
			actor_name: string | null;
			actor_email: string | null;
			assignee_id: string | null;
			assignee_name: string | null;
			assignee_email: string | null;
		}[]
	>`
		select e.id, e.type, e.actor_kind, e.actor_id, e.payload, e.created_at,
			a.id as actor_user_id, a.name as actor_name, a.email as actor_email,
			b.id as assignee_id, b.name as assignee_name, b.email as assignee_email
		from return_events e
		left join users a on e.actor_kind = 'staff' and a.id::text = e.actor_id
		left join users b on e.type = 'return.assigned' and b.id::text = e.payload ->> 'to'
		where e.shop_id = ${shopId} and e.return_id = ${returnId}
		order by e.id`;
	return rows.map((e) => ({
		id: e.id,
		type: e.type,
		actorKind: e.actor_kind,
		actorId: e.actor_id,
		actor: person(e.actor_user_id, e.actor_name, e.actor_email),
		payload: e.payload,
		assignee: person(e.assignee_id, e.assignee_name, e.assignee_email),
		createdAt: e.created_at
	}));
}

/** json_agg comes back parsed, or as text through some drivers: either way, the value. */
function parseJson<T>(value: T | string | null): T | null {
	return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}

/**
 * A photo of this return, customer's or inspection's, only for a return of this shop: ids are not guessable,
 * but a staff member of one shop must not read another's by pasting a link.
 */
export async function readReturnPhoto(
	sql: Queryable,
	shopId: string,
	returnId: string,
	photoId: string
): Promise<{ contentType: PhotoType; bytes: Uint8Array } | null> {
	if (!UUID.test(returnId) || !UUID.test(photoId)) return null;
	const [row] = await sql<{ content_type: PhotoType; bytes: Uint8Array }[]>`
		select p.content_type, p.bytes from conversation_photos p join conversations c on c.id = p.conversation_id
		where p.shop_id = ${shopId} and c.shop_id = ${shopId} and c.return_id = ${returnId} and p.id = ${photoId}
		union all
		select p.content_type, p.bytes from inspection_photos p join return_lines rl on rl.id = p.return_line_id
		where p.shop_id = ${shopId} and rl.shop_id = ${shopId} and rl.return_id = ${returnId} and p.id = ${photoId}
		limit 1`;
	return row ? { contentType: row.content_type, bytes: row.bytes } : null;
}

/** What the "new return for the customer" form offers: the order's lines with what is left, and the leaf reasons. */
export interface NewReturnForm {
	order: { id: string; number: string; currency: string; email: string };
	lines: { id: string; title: string; variantTitle: string | null; sku: string | null; ordered: number; left: number; unitPrice: Money }[];
	reasons: SelectableReason[];
}

export async function loadNewReturnForm(sql: Queryable, shopId: string, orderId: string): Promise<NewReturnForm | null> {
	if (!UUID.test(orderId)) return null;
	const [order] = await sql<{ id: string; order_number: string; currency: string; email: string }[]>`
		select id, order_number, currency, email from orders where shop_id = ${shopId} and id = ${orderId}`;
	if (!order) return null;
	const currency = order.currency.trim();
	const [lines, taken, reasons] = await Promise.all([
		sql<{ id: string; title: string; variant_title: string | null; sku: string | null; quantity: number; unit_price_amount: number }[]>`
			select id, title, variant_title, sku, quantity, unit_price_amount from order_lines
			where shop_id = ${shopId} and order_id = ${order.id} order by position`,
		returnedQuantities(sql, shopId, order.id),
		listSelectableReasons(sql, shopId)
	]);
	return {
		order: { id: order.id, number: order.order_number, currency, email: order.email },
		lines: lines.map((l) => ({
			id: l.id,
			title: l.title,
			variantTitle: l.variant_title,
			sku: l.sku,
			ordered: l.quantity,
			left: Math.max(0, l.quantity - (taken.get(l.id) ?? 0)),
			unitPrice: { amount: l.unit_price_amount, currency }
		})),
		reasons
	};
}
