import type { Queryable, TransactionSql } from '../db';
import { inTransaction } from '../db/transaction';
import { notifyReturn } from '../notifications/service';
import { formatMoney } from '../orders/money';
import { recordEvent, type Actor } from '../returns/events';
import { queueWebhook } from '../webhooks/service';
import { CreditError, generateCreditCode, maskCreditCode, normalizeCreditCode } from './code';

export { CreditError, type CreditErrorCode } from './code';

/**
 * Store credit: a code per credit given, and an append-only ledger whose sum is what the code is worth.
 * Issuing is once per return (a unique index); spending is once per idempotency key (a unique constraint)
 * and never below zero (the code's row is locked while its balance is read and spent).
 */

export type CreditEntryKind = 'issued' | 'bonus' | 'spent' | 'expired';

export interface CreditBalance {
	code: string;
	currency: string;
	/** What can be spent now: issued + bonus − spent − expired; 0 once the code has expired, swept or not. */
	balance: number;
	issued: number;
	bonus: number;
	/** Positive: what redemptions took. */
	spent: number;
	/** Positive: what expiry took (or will take, for a code past its date that expireCredits has not yet swept). */
	expired: number;
	expiresAt: Date | null;
	customerId: string;
}

export interface CreditEntry {
	id: number;
	code: string;
	kind: CreditEntryKind;
	/** Signed minor units: issued and bonus are positive, spent and expired negative. */
	amount: number;
	currency: string;
	returnId: string | null;
	reference: string | null;
	actorKind: Actor['kind'];
	actorId: string | null;
	createdAt: Date;
}

export interface Redemption {
	redemptionId: number;
	code: string;
	amount: number;
	currency: string;
	/** The code's balance just after this redemption (the same number when the redemption is replayed). */
	balanceAfter: number;
	/** True when this idempotency key had already spent: nothing new was written. */
	replayed: boolean;
}

const ISSUE_ATTEMPTS = 5;

function assertAmount(value: number, what: string, field: string, min: number): void {
	if (!Number.isSafeInteger(value) || value < min) {
		throw new CreditError('invalid_amount', `${what} must be an integer of minor units of at least ${min}, got ${value}`, field);
	}
}

function assertCurrency(currency: string, field = 'currency'): void {
	if (!/^[A-Z]{3}$/.test(currency)) {
		throw new CreditError('invalid_currency', `The currency must be an ISO 4217 code in capitals, e.g. "EUR", got ${JSON.stringify(currency)}`, field);
	}
}

/**
 * Gives a return's store credit, in the caller's transaction (the change that calls for it): a new code, its
 * `issued` entry, a `bonus` entry when the policy adds one, the return's event, the customer's email and the
 * shop's `credit.issued` webhook. Once per return: a second call returns the code already given and writes
 * nothing, also when two calls race (the return's unique index settles it).
 */
export async function issueCredit(
	tx: TransactionSql,
	input: { shopId: string; returnId: string; customerId: string; currency: string; amount: number; bonus: number; expiresAt?: Date | null },
	actor: Actor
): Promise<{ codeId: string; code: string; issued: boolean }> {
	assertAmount(input.amount, 'The credit', 'amount', 1);
	assertAmount(input.bonus, 'The bonus', 'bonus', 0);
	assertCurrency(input.currency);
	const expiresAt = input.expiresAt ?? null;

	const existing = await findReturnCode(tx, input.returnId);
	if (existing) return { ...existing, issued: false };

	const [owner] = await tx<{ customer_id: string }[]>`
		select customer_id from returns where shop_id = ${input.shopId} and id = ${input.returnId}`;
	if (!owner) throw new Error(`Return ${input.returnId} not found in shop ${input.shopId}`);
	if (owner.customer_id !== input.customerId) throw new Error(`Return ${input.returnId} belongs to another customer`);

	let created: { id: string; code: string } | undefined;
	for (let attempt = 0; attempt < ISSUE_ATTEMPTS && !created; attempt++) {
		// No conflict target: a taken code and a return already credited both insert nothing, without aborting
		// the caller's transaction; the return's code then tells which it was.
		[created] = await tx<{ id: string; code: string }[]>`
			insert into credit_codes (shop_id, customer_id, code, currency, return_id, expires_at)
			values (${input.shopId}, ${input.customerId}, ${generateCreditCode()}, ${input.currency}, ${input.returnId}, ${expiresAt})
			on conflict do nothing
			returning id, code`;
		if (!created) {
			const raced = await findReturnCode(tx, input.returnId);
			if (raced) return { ...raced, issued: false };
		}
	}
	if (!created) throw new Error(`No free credit code after ${ISSUE_ATTEMPTS} attempts`);

	const entry = (kind: 'issued' | 'bonus', amount: number) => ({
		shop_id: input.shopId,
		customer_id: input.customerId,
		credit_code_id: created!.id,
		kind,
		amount,
		currency: input.currency,
		return_id: input.returnId,
		actor_kind: actor.kind,
		actor_id: actor.id ?? null
	});
	const entries = [entry('issued', input.amount), ...(input.bonus > 0 ? [entry('bonus', input.bonus)] : [])];
	await tx`insert into credit_entries ${tx(entries)}`;

	const total = input.amount + input.bonus;
	await recordEvent(tx, {
		shopId: input.shopId,
		returnId: input.returnId,
		type: 'credit.issued',
		actor,
		payload: {
			creditCodeId: created.id,
			code: maskCreditCode(created.code),
			amount: input.amount,
			bonus: input.bonus,
			total,
			currency: input.currency,
			expiresAt: expiresAt?.toISOString() ?? null
		}
	});
	await notifyReturn(
		tx,
		input.shopId,
		input.returnId,
		{ kind: 'credit_issued', amount: total, currency: input.currency, code: created.code, expiresAt },
		`credit_issued:${input.returnId}`
	);
	await queueWebhook(tx, input.shopId, 'credit.issued', {
		code: created.code,
		amount: input.amount,
		bonus: input.bonus,
		currency: input.currency,
		customerId: input.customerId,
		returnId: input.returnId,
		expiresAt: expiresAt?.toISOString() ?? null
	});
	return { codeId: created.id, code: created.code, issued: true };
}

async function findReturnCode(sql: Queryable, returnId: string): Promise<{ codeId: string; code: string } | undefined> {
	const [row] = await sql<{ id: string; code: string }[]>`select id, code from credit_codes where return_id = ${returnId}`;
	return row && { codeId: row.id, code: row.code };
}

interface BalanceRow {
	code: string;
	currency: string;
	customer_id: string;
	expires_at: Date | null;
	issued: number;
	bonus: number;
	spent: number;
	expired: number;
}

function toBalance(r: BalanceRow, now: Date): CreditBalance {
	const remaining = r.issued + r.bonus - r.spent - r.expired;
	// Past its date, what is left is already lost to the customer: say so before the sweep writes it.
	const lapsed = r.expires_at !== null && r.expires_at <= now && remaining > 0 ? remaining : 0;
	return {
		code: r.code,
		currency: r.currency.trim(),
		balance: remaining - lapsed,
		issued: r.issued,
		bonus: r.bonus,
		spent: r.spent,
		expired: r.expired + lapsed,
		expiresAt: r.expires_at,
		customerId: r.customer_id
	};
}

/** A code's balance and how it came to be; undefined for a code this shop never gave (or not a code at all). */
export async function creditBalance(sql: Queryable, shopId: string, code: string, now = new Date()): Promise<CreditBalance | undefined> {
	const normalized = normalizeCreditCode(code);
	if (!normalized) return undefined;
	const [row] = await sql<BalanceRow[]>`
		select c.code, c.currency, c.customer_id, c.expires_at,
			coalesce(sum(e.amount) filter (where e.kind = 'issued'), 0) as issued,
			coalesce(sum(e.amount) filter (where e.kind = 'bonus'), 0) as bonus,
			coalesce(-sum(e.amount) filter (where e.kind = 'spent'), 0) as spent,
			coalesce(-sum(e.amount) filter (where e.kind = 'expired'), 0) as expired
		from credit_codes c left join credit_entries e on e.credit_code_id = c.id
		where c.shop_id = ${shopId} and c.code = ${normalized}
		group by c.id`;
	return row && toBalance(row, now);
}

/** What a customer can spend, per currency (codes past their date count for nothing). */
export async function customerCreditBalance(
	sql: Queryable,
	shopId: string,
	customerId: string,
	now = new Date()
): Promise<{ currency: string; balance: number }[]> {
	const rows = await sql<{ currency: string; balance: number }[]>`
		select c.currency, coalesce(sum(e.amount) filter (where c.expires_at is null or c.expires_at > ${now}), 0) as balance
		from credit_codes c join credit_entries e on e.credit_code_id = c.id
		where c.shop_id = ${shopId} and c.customer_id = ${customerId}
		group by c.currency order by c.currency`;
	return rows.map((r) => ({ currency: r.currency.trim(), balance: r.balance }));
}

/** A customer's ledger for staff, oldest first, with the full codes (staff read them to the customer). */
export async function listCreditEntries(sql: Queryable, shopId: string, customerId: string): Promise<CreditEntry[]> {
	const rows = await sql<
		{
			id: number;
			code: string;
			kind: CreditEntryKind;
			amount: number;
			currency: string;
			return_id: string | null;
			reference: string | null;
			actor_kind: Actor['kind'];
			actor_id: string | null;
			created_at: Date;
		}[]
	>`
		select e.id, c.code, e.kind, e.amount, e.currency, e.return_id, e.reference, e.actor_kind, e.actor_id, e.created_at
		from credit_entries e join credit_codes c on c.id = e.credit_code_id
		where e.shop_id = ${shopId} and e.customer_id = ${customerId}
		order by e.id`;
	return rows.map((r) => ({
		id: r.id,
		code: r.code,
		kind: r.kind,
		amount: r.amount,
		currency: r.currency.trim(),
		returnId: r.return_id,
		reference: r.reference,
		actorKind: r.actor_kind,
		actorId: r.actor_id,
		createdAt: r.created_at
	}));
}

interface LockedCode {
	id: string;
	code: string;
	customer_id: string;
	currency: string;
	expires_at: Date | null;
}

/**
 * Spends from a code, in one transaction with the code's row locked, so two redemptions at once cannot both
 * spend the same balance. Idempotent by (code, idempotencyKey): the same key again returns the first result
 * (`replayed`), even after the code is spent or expired; with another amount or currency it is refused.
 */
export async function redeemCredit(
	sql: Queryable,
	input: { shopId: string; code: string; amount: number; currency: string; idempotencyKey: string; reference?: string | null },
	actor: Actor,
	now = new Date()
): Promise<Redemption> {
	assertAmount(input.amount, 'The amount', 'amount', 1);
	assertCurrency(input.currency);
	const key = input.idempotencyKey;
	if (typeof key !== 'string' || key.length < 1 || key.length > 255) {
		throw new CreditError('invalid_idempotency_key', 'The idempotency key must be 1 to 255 characters: your order id, or a UUID per spend.', 'idempotencyKey');
	}
	const normalized = normalizeCreditCode(input.code);
	if (!normalized) throw notFound(input.code);

	return inTransaction(sql, async (tx) => {
		const [code] = await tx<LockedCode[]>`
			select id, code, customer_id, currency, expires_at from credit_codes
			where shop_id = ${input.shopId} and code = ${normalized}
			for update`;
		if (!code) throw notFound(normalized);
		const currency = code.currency.trim();

		const [previous] = await tx<{ id: number; amount: number; currency: string }[]>`
			select id, amount, currency from credit_entries
			where credit_code_id = ${code.id} and idempotency_key = ${key} and kind = 'spent'`;
		if (previous) {
			const spent = -previous.amount;
			const previousCurrency = previous.currency.trim();
			if (spent !== input.amount || previousCurrency !== input.currency) {
				throw new CreditError(
					'idempotency_conflict',
					`This Idempotency-Key already spent ${spent} ${previousCurrency} (minor units) from this code; a different amount or currency needs a new key.`,
					'idempotencyKey'
				);
			}
			return { redemptionId: previous.id, code: code.code, amount: spent, currency, balanceAfter: await balanceThrough(tx, code.id, previous.id), replayed: true };
		}

		if (input.currency !== currency) {
			throw new CreditError('currency_mismatch', `This code is in ${currency}: send the amount in ${currency} minor units, not ${input.currency}.`, 'currency');
		}
		if (code.expires_at !== null && code.expires_at <= now) {
			throw new CreditError('credit_expired', `This code expired on ${code.expires_at.toISOString().slice(0, 10)} and can no longer be spent.`);
		}
		const [{ balance }] = await tx<{ balance: number }[]>`
			select coalesce(sum(amount), 0) as balance from credit_entries where credit_code_id = ${code.id}`;
		if (input.amount > balance) {
			const left = formatMoney(balance, currency, 'en');
			throw new CreditError(
				'insufficient_balance',
				balance > 0
					? `Only ${left} is left on this code (${balance} minor units): spend at most that, and take the rest another way.`
					: 'Nothing is left on this code: it has been spent in full.',
				'amount'
			);
		}
		const [entry] = await tx<{ id: number }[]>`
			insert into credit_entries (shop_id, customer_id, credit_code_id, kind, amount, currency, idempotency_key, reference,
				actor_kind, actor_id)
			values (${input.shopId}, ${code.customer_id}, ${code.id}, 'spent', ${-input.amount}, ${currency}, ${key},
				${input.reference ?? null}, ${actor.kind}, ${actor.id ?? null})
			returning id`;
		return { redemptionId: entry.id, code: code.code, amount: input.amount, currency, balanceAfter: balance - input.amount, replayed: false };
	});
}

function notFound(code: string): CreditError {
	return new CreditError('credit_not_found', `This shop has no store credit code ${JSON.stringify(code)}. Check it was typed as given, e.g. "ABCD-EFGH-JKLM".`);
}

/** The balance just after an entry: entries of a code are written under its row lock, so id order is their order. */
async function balanceThrough(tx: Queryable, codeId: string, entryId: number): Promise<number> {
	const [{ balance }] = await tx<{ balance: number }[]>`
		select coalesce(sum(amount), 0) as balance from credit_entries where credit_code_id = ${codeId} and id <= ${entryId}`;
	return balance;
}

const SYSTEM: Actor = { kind: 'system' };

/**
 * Writes an `expired` entry for what is left on each code past its date, one code per transaction with its row
 * locked (a redemption at the same moment is either before, and spent, or after, and refused). A code expires
 * once: a second run, or two at once, write nothing more. Returns how many codes it expired.
 */
export async function expireCredits(sql: Queryable, now = new Date()): Promise<number> {
	const due = await sql<{ id: string }[]>`
		select c.id from credit_codes c
		where c.expires_at <= ${now}
			and not exists (select 1 from credit_entries e where e.credit_code_id = c.id and e.kind = 'expired')
			and (select coalesce(sum(e.amount), 0) from credit_entries e where e.credit_code_id = c.id) > 0
		order by c.expires_at, c.id`;
	let expired = 0;
	for (const { id } of due) {
		const wrote = await inTransaction(sql, async (tx) => {
			const [code] = await tx<{ shop_id: string; customer_id: string; currency: string }[]>`
				select shop_id, customer_id, currency from credit_codes where id = ${id} for update`;
			const [state] = await tx<{ balance: number; swept: boolean }[]>`
				select coalesce(sum(amount), 0) as balance, coalesce(bool_or(kind = 'expired'), false) as swept
				from credit_entries where credit_code_id = ${id}`;
			if (state.swept || state.balance <= 0) return false;
			await tx`
				insert into credit_entries (shop_id, customer_id, credit_code_id, kind, amount, currency, actor_kind)
				values (${code.shop_id}, ${code.customer_id}, ${id}, 'expired', ${-state.balance}, ${code.currency.trim()}, ${SYSTEM.kind})`;
			return true;
		});
		if (wrote) expired++;
	}
	return expired;
}
