import { moneyFormatter } from '$lib/money';
import { returnLinkFor } from '../api/handler';
import { AVAILABLE_SQL } from '../exchanges/service';
import { publicOrigin, readConfig } from '../config';
import type { Queryable, Sql, TransactionSql } from '../db';
import { deliverEmail, queueEmail } from '../email';
import { withdrawalEmail } from '../email/templates';
import { inTransaction } from '../db/transaction';
import { decideWith, loadDecisionFacts, type OrderDecisionFacts } from '../policy/service';
import type { Quote } from '../policy/quote';
import { jurisdictionFor } from '../policy/legal-floor';
import { wholeDays } from '../policy/facts';
import { createReturn, CUSTOMER_LOCK_PREFIX, type Answer, type ReturnRecord } from '../returns/service';
import { listSelectableReasons } from '../shops/service';
import { CONFIDENCE_THRESHOLD, reasonClassifier } from './classifier';
import { sizeChoices, smallerSizeCount, suggestSizeExchange, type SizedVariant } from './size-exchange';
import { checkCompatibility, compatibleAlternatives, type Attributes, type DeviceFacts, type ProductFacts } from './compatibility';
import { photoIdsOf } from './photos';
import { claudeConfigFrom, claudeReply } from './claude/claude';
import { log } from '../log';
import {
	actions,
	ConversationError,
	reply,
	start,
	type Action,
	type ConversationContext,
	type ContextLine,
	type ConversationState,
	type Decision,
	type Locale,
	type Message,
	type ReplyInput,
	type Resolution
} from './engine';

/**
 * Conversations on the server: the engine's state persisted per conversation (one open per order), the
 * context it needs built from the database, and the return created exactly once when the customer confirms,
 * in the same transaction as the state that says so.
 */

export interface ConversationView {
	id: string;
	state: ConversationState['step'];
	messages: Message[];
	actions: Action[];
	return: { rma: string; status: string; resolution: Resolution | null; quote: ReturnRecord['quote'] } | null;
	/** At the summary and the withdrawal's confirmation: what confirming will create, by the policy's quote. */
	quote?: Quote | null;
}

export class ConversationNotFound extends Error {
	constructor() {
		super('This conversation does not exist');
		this.name = 'ConversationNotFound';
	}
}

const OFFER_WORDS = {
	en: {
		fix: () => 'Let’s solve it without sending anything back',
		exchange_variant: () => 'Exchange for another size or colour',
		exchange_product: () => 'Exchange for another product',
		store_credit: (amount: string) => `Store credit of ${amount}`,
		refund: (amount: string) => `Refund of ${amount} to your original payment`
	},
	fr: {
		fix: () => 'Résolvons-le sans rien renvoyer',
		exchange_variant: () => 'Échange contre une autre taille ou couleur',
		exchange_product: () => 'Échange contre un autre produit',
		store_credit: (amount: string) => `Avoir de ${amount}`,
		refund: (amount: string) => `Remboursement de ${amount} sur votre moyen de paiement`
	}
} as const;

/** The engine's context for one order, on facts loaded once. */
export async function buildContext(
	sql: Queryable,
	shopId: string,
	orderId: string,
	locale: Locale,
	conversationId?: string
): Promise<{ context: ConversationContext; facts: OrderDecisionFacts }> {
	const titlesRead = sql<{ id: string; title: string; variant_title: string | null; variant_id: string | null; product_id: string | null; category: string | null }[]>`
		select ol.id, ol.title, ol.variant_title, ol.variant_id, ol.product_id, p.category
		from order_lines ol left join products p on p.shop_id = ol.shop_id and p.id = ol.product_id
		where ol.shop_id = ${shopId} and ol.order_id = ${orderId} order by ol.position`.then((rows) => rows);
	// Cables and chargers: the devices table and the shop's accessories can settle a compatibility problem (read
	// beside the customer's risk profile, which also waits for the first reads).
	const compatibilityRead = titlesRead.then((rows) => (rows.some((t) => isAccessory(t.category)) ? loadCompatibilityFacts(sql, shopId) : null));
	const [facts, reasons, titles, variants, photoIds, alternatives, compatibility] = await Promise.all([
		loadDecisionFacts(sql, { shopId, orderId }),
		listSelectableReasons(sql, shopId),
		titlesRead,
		// Every variant of the ordered products, with its options: the sizes a size problem can be exchanged for.
		sql<{ line_id: string; id: string; inventory: number; options: Record<string, string> }[]>`
			select ol.id as line_id, v.id, ${sql.unsafe(AVAILABLE_SQL)} as inventory,
				coalesce(jsonb_object_agg(vo.name, vo.value) filter (where vo.name is not null), '{}') as options
			from order_lines ol
			join variants v on v.shop_id = ol.shop_id and v.product_id = ol.product_id
			left join variant_option_values vo on vo.variant_id = v.id
			where ol.shop_id = ${shopId} and ol.order_id = ${orderId} and ol.variant_id is not null
			group by ol.id, v.id`,
		conversationId ? photoIdsOf(sql, shopId, conversationId) : Promise.resolve([]),
		// For an exchange for another product: others of the same category, in stock, that can be sold again.
		sql<{ line_id: string; id: string; title: string }[]>`
			select ol.id as line_id, alt.id, alt.title
			from order_lines ol join products p on p.shop_id = ol.shop_id and p.id = ol.product_id
			join lateral (
				select p2.id, p2.title from products p2
				where p2.shop_id = p.shop_id and p2.category = p.category and p2.id <> p.id and not p2.final_sale
					and exists (select 1 from variants v where v.shop_id = p2.shop_id and v.product_id = p2.id and ${sql.unsafe(AVAILABLE_SQL)} > 0)
				order by p2.title limit 8
			) alt on true
			where ol.shop_id = ${shopId} and ol.order_id = ${orderId}`,
		compatibilityRead
	]);
	const accessories = new Set(titles.filter((t) => isAccessory(t.category)).map((t) => t.id));
	const siblings = new Map<string, SizedVariant[]>();
	for (const v of variants) siblings.set(v.line_id, [...(siblings.get(v.line_id) ?? []), { id: v.id, options: v.options, inventory: v.inventory }]);
	const title = new Map(titles.map((t) => [t.id, t.variant_title && t.variant_title !== t.title ? `${t.title} (${t.variant_title})` : t.title]));
	const money = moneyFormatter(locale);
	const jurisdiction = jurisdictionFor(facts.order.ship_country);
	const delivered = facts.order.delivered_at;
	const withdrawalOpen =
		jurisdiction !== null && (delivered === null || wholeDays(delivered, facts.at, facts.order.time_zone) <= jurisdiction.withdrawalDays);
	const context: ConversationContext = {
		locale,
		now: new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: facts.order.time_zone }).format(facts.at),
		lines: facts.lines.map((l) => {
			const line = titles.find((t) => t.id === l.id);
			return {
				id: l.id,
				title: title.get(l.id) ?? l.id,
				returnable: l.quantity - (facts.held.returned.get(l.id) ?? 0),
				sizes: line?.variant_id ? sizeChoices(siblings.get(l.id) ?? [], line.variant_id) : [],
				smallerSizes: line?.variant_id ? smallerSizeCount(siblings.get(l.id) ?? [], line.variant_id) : undefined,
				suggestedSizes: line?.variant_id ? suggestedSizes(siblings.get(l.id) ?? [], line.variant_id) : undefined,
				accessory: accessories.has(l.id),
				exchangeable: (siblings.get(l.id) ?? []).some((v) => v.id !== line?.variant_id && (v.inventory === null || v.inventory > 0)),
				variantId: line?.variant_id ?? null,
				replaceable: (siblings.get(l.id) ?? []).some((v) => v.id === line?.variant_id && (v.inventory === null || v.inventory > 0)),
				alternatives: alternatives.filter((a) => a.line_id === l.id).map((a) => ({ id: a.id, label: a.title }))
			};
		}),
		devices: compatibility?.devices.map((d) => ({ id: d.id, label: `${d.brand} ${d.model}` })),
		checkDevice: compatibility
			? (lineId, deviceId) => {
					const productId = titles.find((t) => t.id === lineId)?.product_id;
					const product = compatibility.products.find((p) => p.id === productId);
					const device = compatibility.devices.find((d) => d.id === deviceId);
					if (!product || !device) return { verdict: 'unknown', sentence: '', alternative: null };
					const verdict = checkCompatibility(product, device);
					const alternative = verdict.verdict === 'compatible' ? undefined : compatibleAlternatives(compatibility.products.filter((p) => p.id !== product.id), device, product)[0];
					return { verdict: verdict.verdict, sentence: verdict.sentence[locale], alternative: alternative?.title ?? null, alternativeId: alternative?.id ?? null };
				}
			: undefined,
		photoIds,
		reasons: reasons.filter((r) => r.code !== 'withdrawal').map((r) => ({ code: r.code, label: locale === 'fr' ? r.fr : r.en })),
		withdrawalOpen,
		// The same question is asked several times per reply (the step, then its actions): answered once.
		decide: memoize((items, reason): Decision => {
			const lines = items.map((i) => ({ orderLineId: i.lineId, quantity: i.quantity, reasonCode: reason }));
			const decided = decideWith(facts, { lines });
			const explanation = decided.lines.map((l) => (locale === 'fr' ? l.decision.explanation.fr : l.decision.explanation.en)).join(' ');
			if (decided.eligibility === 'not_eligible') return { eligibility: 'not_eligible', explanation, offers: [], canKeep: false };
			// Offered for every item, in the policy's order.
			const order = decided.lines[0].decision.outputs.resolutions.filter((r) => decided.lines.every((l) => l.decision.outputs.resolutions.includes(r)));
			const offers = order.map((resolution) => {
				const q = decideWith(facts, { lines, resolution }).quote;
				const amount = q ? money(q.total, q.currency) : '';
				return { resolution, label: OFFER_WORDS[locale][resolution](amount) };
			});
			const canKeep = decided.lines.every((l) => {
				const line = facts.lines.find((x) => x.id === l.orderLineId)!;
				return l.decision.outputs.keepItemBelow > 0 && Number(line.unit_price_amount) < l.decision.outputs.keepItemBelow;
			});
			return { eligibility: decided.eligibility, explanation, offers, canKeep };
		}),
		// Trained on first use only: a conversation that never reads free text never waits for it.
		classify: (text) => reasonClassifier().classify(text),
		confidenceThreshold: CONFIDENCE_THRESHOLD
	};
	return { context, facts };
}

function memoize(decide: ConversationContext['decide']): ConversationContext['decide'] {
	const answers = new Map<string, Decision>();
	return (items, reason) => {
		const key = JSON.stringify([items, reason]);
		let answer = answers.get(key);
		if (!answer) answers.set(key, (answer = decide(items, reason)));
		return answer;
	};
}

const isAccessory = (category: string | null) => !!category && /^electronics\/(cables|chargers)(\/|$)/.test(category);

function suggestedSizes(variants: SizedVariant[], currentId: string): ContextLine['suggestedSizes'] {
	const pick = (direction: 'too_small' | 'too_large', steps: number) => suggestSizeExchange(variants, currentId, { direction, steps })?.variantId;
	return { too_small: pick('too_small', 1), too_large: pick('too_large', 1), 'too_small:2': pick('too_small', 2), 'too_large:2': pick('too_large', 2) };
}

type CompatibilityProduct = ProductFacts & { id: string; title: string };

/** The shop's devices and its electronics with their typed attributes (product-level). */
async function loadCompatibilityFacts(sql: Queryable, shopId: string): Promise<{ devices: (DeviceFacts & { id: string })[]; products: CompatibilityProduct[] }> {
	const [devices, products] = await Promise.all([
		sql<{ id: string; brand: string; model: string; kind: string; ports: string[]; charging_protocols: string[]; max_charging_watts: number | null }[]>`
			select id, brand, model, kind, ports, charging_protocols, max_charging_watts from devices where shop_id = ${shopId} order by brand, model`,
		sql<{ id: string; title: string; category: string | null; attributes: Attributes }[]>`
			select p.id, p.title, p.category,
				coalesce(jsonb_object_agg(a.code, case a.value_type when 'text' then to_jsonb(a.text_value) when 'number' then to_jsonb(a.number_value)
					when 'boolean' then to_jsonb(a.boolean_value) else to_jsonb(a.list_value) end) filter (where a.code is not null), '{}') as attributes
			from products p left join product_attributes a on a.shop_id = p.shop_id and a.product_id = p.id and a.variant_id is null
			where p.shop_id = ${shopId} and p.category like 'electronics/%'
			group by p.id order by p.title`
	]);
	return {
		devices: devices.map((d) => ({ id: d.id, brand: d.brand, model: d.model, kind: d.kind, ports: d.ports, chargingProtocols: d.charging_protocols, maxChargingWatts: d.max_charging_watts })),
		products
	};
}

/** The conversation whose uploaded photos the context needs: only while it asks for them. */
const photosOf = (row: Row) => (row.state.step === 'photos' ? row.id : undefined);

type Row = { id: string; order_id: string; locale: Locale; state: ConversationState; return_id: string | null };

type Built = { context: ConversationContext; facts: OrderDecisionFacts };

/** What confirming would create: the same request `submit` sends, quoted. */
function submission(state: ConversationState, facts: OrderDecisionFacts) {
	const withdrawal = state.step === 'withdrawn' || state.step === 'withdraw_confirm';
	const reason = withdrawal ? 'withdrawal' : state.reason!;
	const resolution: Resolution = state.resolution ?? 'refund';
	const keep = state.method === 'keep';
	const lines = state.items.map((i) => ({ orderLineId: i.lineId, quantity: i.quantity, reasonCode: reason }));
	const quote = decideWith(facts, { lines, resolution, keepItem: keep, isWithdrawal: withdrawal }).quote;
	return { withdrawal, reason, resolution, keep, lines, quote };
}

/** `created`: the return this step just made (nothing to read back). */
async function view(sql: Queryable, shopId: string, row: Row, { context, facts }: Built, created?: ReturnRecord): Promise<ConversationView> {
	let ret: ConversationView['return'] = null;
	if (created) ret = { rma: created.rma, status: created.decisionStatus, resolution: row.state.resolution, quote: created.quote };
	else if (row.return_id) {
		const [r] = await sql<{ rma: string; decision_status: string; quote: ReturnRecord['quote'] }[]>`
			select rma, decision_status, quote from returns where shop_id = ${shopId} and id = ${row.return_id}`;
		ret = { rma: r.rma, status: r.decision_status, resolution: row.state.resolution, quote: r.quote };
	}
	const pending = row.state.step === 'summary' || row.state.step === 'withdraw_confirm' ? { quote: submission(row.state, facts).quote } : {};
	return { id: row.id, state: row.state.step, messages: row.state.transcript, actions: actions(context, row.state), return: ret, ...pending };
}

/** The open conversation of the order, or a new one: `created` says which. */
export async function openConversation(
	sql: Queryable,
	input: { shopId: string; orderId: string; locale: Locale }
): Promise<{ created: boolean; conversation: ConversationView }> {
	const built = await buildContext(sql, input.shopId, input.orderId, input.locale);
	const state = start(built.context);
	const [inserted] = await sql<Row[]>`
		insert into conversations (shop_id, order_id, locale, step, state)
		values (${input.shopId}, ${input.orderId}, ${input.locale}, ${state.step}, ${sql.json(state as never)})
		on conflict (order_id) where step not in ('submitted', 'prevented', 'refused', 'handoff', 'cancelled', 'withdrawn') do nothing
		returning id, order_id, locale, state, return_id`;
	if (inserted) return { created: true, conversation: await view(sql, input.shopId, inserted, built) };
	const [open] = await sql<Row[]>`
		select id, order_id, locale, state, return_id from conversations
		where shop_id = ${input.shopId} and order_id = ${input.orderId}
			and step not in ('submitted', 'prevented', 'refused', 'handoff', 'cancelled', 'withdrawn')`;
	const theirs = await buildContext(sql, input.shopId, input.orderId, open.locale, photosOf(open));
	return { created: false, conversation: await view(sql, input.shopId, open, theirs) };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function getConversation(sql: Queryable, shopId: string, id: string, orderId?: string): Promise<ConversationView> {
	if (!UUID.test(id)) throw new ConversationNotFound();
	const [row] = await sql<Row[]>`
		select id, order_id, locale, state, return_id from conversations
		where shop_id = ${shopId} and id = ${id} ${orderId ? sql`and order_id = ${orderId}` : sql``}`;
	if (!row) throw new ConversationNotFound();
	return view(sql, shopId, row, await buildContext(sql, shopId, row.order_id, row.locale, photosOf(row)));
}

/**
 * What the return link's page shows: the open conversation; else, unless a new one is asked for, the last one
 * (finished: its outcome stays readable); else the start of a new one, not saved until the customer answers.
 */
export async function conversationForPage(
	sql: Queryable,
	input: { shopId: string; orderId: string; locale: Locale; fresh?: boolean }
): Promise<ConversationView & { saved: boolean; finished: boolean }> {
	const [row] = await sql<(Row & { open: boolean })[]>`
		select id, order_id, locale, state, return_id, step not in ('submitted', 'prevented', 'refused', 'handoff', 'cancelled', 'withdrawn') as open
		from conversations where shop_id = ${input.shopId} and order_id = ${input.orderId}
		order by (step not in ('submitted', 'prevented', 'refused', 'handoff', 'cancelled', 'withdrawn')) desc, updated_at desc limit 1`;
	if (row && (row.open || !input.fresh)) {
		// Actions in the language the customer reads the page in now; the transcript as it was said.
		const built = await buildContext(sql, input.shopId, row.order_id, input.locale, photosOf(row));
		return { ...(await view(sql, input.shopId, row, built)), saved: true, finished: !row.open };
	}
	const { context } = await buildContext(sql, input.shopId, input.orderId, input.locale);
	const state = start(context);
	return { id: '', state: state.step, messages: state.transcript, actions: actions(context, state), return: null, saved: false, finished: false };
}

/** A reply from the return link's page: to the conversation it showed, or the first answer of a new one. */
export async function replyOnOrder(
	sql: Queryable,
	input: { shopId: string; orderId: string; locale: Locale; conversationId: string | null; reply: ReplyInput }
): Promise<ConversationView> {
	const conversationId = input.conversationId || (await openConversation(sql, input)).conversation.id;
	return replyToConversation(sql, { shopId: input.shopId, orderId: input.orderId, conversationId, reply: input.reply, locale: input.locale });
}

/**
 * One reply, under the conversation's row lock: the engine's next state, and on confirmation the return,
 * created once with the quote the customer was shown (a different amount now is refused, not paid).
 */
export async function replyToConversation(
	sql: Queryable,
	input: {
		shopId: string;
		conversationId: string;
		reply: ReplyInput;
		/** The order the caller's link opens. */
		orderId?: string;
		/** The language the customer now reads (the page's): the conversation goes on in it. */
		locale?: Locale;
	}
): Promise<ConversationView> {
	if (!UUID.test(input.conversationId)) throw new ConversationNotFound();
	// Free text with Claude configured: asked before the transaction (no row lock held while the model thinks),
	// used only if the conversation has not moved meanwhile; otherwise, or on any failure, the engine answers.
	const proposed = await askClaude(sql, input);
	// A confirmation creates the return: the order and its customer are locked first, as the return's creation
	// locks them, so the facts read for this step are the ones it decides on (read once, not twice).
	const confirming = !proposed && 'actionId' in input.reply && input.reply.actionId === 'confirm';
	return inTransaction(sql, async (tx) => {
		const conversation = tx`(select order_id from conversations where shop_id = ${input.shopId} and id = ${input.conversationId})`;
		const [[row]] = await Promise.all([
			tx<Row[]>`
				select id, order_id, locale, state, return_id from conversations
				where shop_id = ${input.shopId} and id = ${input.conversationId}
					${input.orderId ? tx`and order_id = ${input.orderId}` : tx``}
				for update`,
			confirming && tx`select id from orders where shop_id = ${input.shopId} and id = ${conversation} for update`,
			confirming &&
				tx`select pg_advisory_xact_lock(hashtextextended(${CUSTOMER_LOCK_PREFIX} || customer_id::text, 0)) from orders where shop_id = ${input.shopId} and id = ${conversation}`
		]);
		if (!row) throw new ConversationNotFound();
		if (input.locale) row.locale = input.locale;
		const { context, facts } = await buildContext(tx, input.shopId, row.order_id, row.locale, photosOf(row));
		const next = proposed && proposed.from === row.state.interactions ? proposed.state : reply(context, row.state, input.reply);
		let returnId: string | null = row.return_id;
		let created: ReturnRecord | undefined;
		let acknowledgement: string | null = null;
		if ((next.step === 'submitted' || next.step === 'withdrawn') && !returnId) {
			// A headless client may send back the total it showed; the return is refused if it is not the policy's.
			const values = 'values' in input.reply ? input.reply.values : undefined;
			const claimed = values?.expectedTotal;
			if (claimed !== undefined && !Number.isSafeInteger(claimed)) {
				throw new ConversationError('invalid_values', 'values.expectedTotal must be the total shown, in integer minor units');
			}
			created = await submit(tx, input.shopId, row, next, context, facts, claimed as number | undefined, confirming);
			returnId = created.id;
			if (next.step === 'withdrawn') acknowledgement = await queueWithdrawalEmail(tx, input.shopId, row, created, context.now!);
		}
		await tx`
			update conversations set step = ${next.step}, state = ${tx.json(next as never)}, return_id = ${returnId}, locale = ${row.locale},
				handoff_requested_at = ${next.step === 'handoff' ? new Date() : null}, updated_at = now()
			where id = ${row.id}`;
		return { view: await view(tx, input.shopId, { ...row, state: next, return_id: returnId }, { context, facts }, created), acknowledgement };
	}).then(({ view, acknowledgement }) => {
		// Mail leaves after the commit (it stays in the outbox when no SMTP is configured).
		if (acknowledgement && !('savepoint' in sql)) void deliverEmail(sql as Sql, acknowledgement);
		return view;
	});
}

async function askClaude(
	sql: Queryable,
	input: { shopId: string; conversationId: string; reply: ReplyInput; orderId?: string; locale?: Locale }
): Promise<{ from: number; state: ConversationState } | null> {
	const config = claudeConfigFrom(process.env);
	const text = 'text' in input.reply ? input.reply.text : input.reply.actionId === 'text' ? input.reply.values?.text : undefined;
	if (!config || typeof text !== 'string' || !text.trim()) return null;
	const [row] = await sql<Row[]>`
		select id, order_id, locale, state, return_id from conversations
		where shop_id = ${input.shopId} and id = ${input.conversationId} ${input.orderId ? sql`and order_id = ${input.orderId}` : sql``}`;
	if (!row) return null;
	const { context } = await buildContext(sql, input.shopId, row.order_id, input.locale ?? row.locale, photosOf(row));
	// Claude reads free text where the engine asks for it.
	if (!actions(context, row.state).some((a) => a.id === 'text')) return null;
	const state = await claudeReply(config, context, row.state, text.trim());
	if (!state) log.warn({ conversationId: row.id }, 'Claude did not answer in time or usably: the deterministic engine answers this turn');
	return state ? { from: row.state.interactions, state } : null;
}

/** The withdrawal's acknowledgement on a durable medium: in the outbox in the same transaction, with its date and time. */
async function queueWithdrawalEmail(tx: TransactionSql, shopId: string, row: Row, ret: ReturnRecord, at: string): Promise<string> {
	const [order] = await tx<{ email: string; order_number: string; shop_name: string }[]>`
		select o.email, o.order_number, s.name as shop_name from orders o join shops s on s.id = o.shop_id
		where o.shop_id = ${shopId} and o.id = ${row.order_id}`;
	const content = withdrawalEmail(row.locale, {
		url: returnLinkFor(publicOrigin(readConfig()), row.order_id),
		shopName: order.shop_name,
		orderNumber: order.order_number,
		date: at,
		rma: ret.rma,
		total: moneyFormatter(row.locale)(ret.quote?.total ?? 0, ret.currency)
	});
	return queueEmail(tx, { shopId, to: order.email, kind: 'withdrawal_acknowledgement', ...content });
}

async function submit(
	tx: TransactionSql,
	shopId: string,
	row: Row,
	state: ConversationState,
	context: ConversationContext,
	facts: OrderDecisionFacts,
	claimed: number | undefined,
	/** The facts were read under the order's and the customer's locks: the return is decided on them. */
	locked: boolean
) {
	// The amount the customer saw: the return is refused if the policy would now pay another.
	const { withdrawal, resolution, keep, lines, quote: shown } = submission(state, facts);
	if (resolution === 'exchange_variant') await checkStillInStock(tx, shopId, state, context);
	return createReturn(
		tx,
		{
			shopId,
			orderId: row.order_id,
			channel: 'customer',
			isWithdrawal: withdrawal,
			locale: row.locale,
			resolution,
			expectedTotal: claimed ?? shown?.total ?? null,
			receptionStatus: keep ? 'not_required' : 'awaiting',
			returnMethod: withdrawal ? null : state.method,
			lines: lines.map((l) => {
				const line = context.lines.find((c) => c.id === l.orderLineId);
				const wantedSize = state.wantedSize ? line?.sizes?.find((s) => s.id === state.wantedSize) : undefined;
				return {
					...l,
					comment: state.comment ?? null,
					requestedResolution: keep ? 'keep' : resolution === 'refund' || resolution === 'store_credit' ? resolution : resolution === 'fix' ? null : 'exchange',
					// Another size asked for, else (a damaged, faulty or wrong item) the same variant again.
					exchangeVariantId: resolution === 'exchange_variant' ? (wantedSize?.id ?? (line?.replaceable ? line.variantId : null) ?? null) : null,
					exchangeProductId:
						resolution !== 'exchange_product'
							? null
							: state.wantedProduct && line?.alternatives?.some((a) => a.id === state.wantedProduct)
								? state.wantedProduct
								: line?.accessory
									? (state.device?.alternativeId ?? null)
									: null,
					answers: answersFor(state, line, wantedSize)
				};
			})
		},
		{ kind: 'customer', id: facts.order.customer_id },
		locked ? { facts } : {}
	);
}

/** The size asked for (or the same item, for a replacement) may have sold out since it was offered; reserving it is the exchange's own step. */
async function checkStillInStock(tx: TransactionSql, shopId: string, state: ConversationState, context: ConversationContext) {
	const line = context.lines.find((l) => l.id === state.items[0]?.lineId);
	const variantId = state.wantedSize ?? line?.variantId;
	if (!variantId) return;
	const wanted = state.items.reduce((n, i) => n + i.quantity, 0);
	const [variant] = await tx<{ inventory: number | null; title: string | null }[]>`
		select ${tx.unsafe(AVAILABLE_SQL)} as inventory, title from variants v where shop_id = ${shopId} and id = ${variantId} for update`;
	if (variant && (variant.inventory === null || variant.inventory >= wanted)) return;
	if (!state.wantedSize) throw new ConversationError('invalid_values', `“${line?.title}” has just sold out: choose another option (“Change my choice”)`);
	const label = context.lines.flatMap((l) => l.sizes ?? []).find((s) => s.id === variantId)?.label ?? variant?.title ?? variantId;
	throw new ConversationError('invalid_values', `Size ${label} has just sold out: choose another option (“Change my choice”)`);
}

/** The conversation's answers about one line, as typed rows for staff and for the insights to come. */
function answersFor(state: ConversationState, line: ConversationContext['lines'][number] | undefined, wantedSize: { label: string } | undefined): Answer[] {
	const answers: Answer[] = [];
	if (state.reason === 'too_small' || state.reason === 'too_large') {
		answers.push({ question: 'fit.direction', type: 'text', value: state.reason });
		if (wantedSize) answers.push({ question: 'fit.wanted_size', type: 'text', value: wantedSize.label });
	}
	if (state.device && line?.accessory) {
		answers.push({ question: 'device.model', type: 'device', deviceId: state.device.id });
		answers.push({ question: 'device.verdict', type: 'text', value: state.device.verdict });
	}
	if (state.symptom && line?.accessory) answers.push({ question: 'device.symptom', type: 'text', value: state.symptom });
	if (state.photoIds) answers.push({ question: 'evidence.photos', type: 'number', value: state.photoIds.length });
	return answers;
}
