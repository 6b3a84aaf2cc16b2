import { currencyExponent, minorToDecimal } from '$lib/money';
import { MAX_AMOUNT } from '../api/schema';
import { CHOICE_CONDITIONS, FLAG_CONDITIONS, LIST_CONDITIONS, MAX_RULES, RANGE_CONDITIONS, ruleCount } from '$lib/policy/vocabulary';
import { ITEM_CONDITIONS, REFUND_TIMINGS, RESOLUTIONS, type Conditions, type Outputs, type Policy, type Range, type Rule } from './rules';
import { parsePolicy } from './schema';

/**
 * The policy editor's form, pure: a policy to the form's values and back, with errors as codes the page
 * shows in the merchant's language, keyed by the field's name. Field names are the policy's own paths
 * (`defaults.windowDays`, `rules[2].when.unitPrice.min`); percentages and money are typed as people
 * write them ("12,5", "4.95") and stored as basis points and minor units. Rules can be added, removed and
 * moved with plain submit buttons, so the editor works without JavaScript.
 */

export type FormValues = Record<string, string | string[]>;
export interface FieldError {
	code:
		| 'whole_number'
		| 'negative'
		| 'too_large'
		| 'percent'
		| 'money'
		| 'min_above_max'
		| 'required'
		| 'too_long'
		| 'no_resolution'
		| 'duplicate_rank'
		| 'no_outcome'
		| 'country'
		| 'category'
		| 'invalid';
	params?: Record<string, string | number>;
	/** The schema's own words, for an error the form has no code for. */
	message?: string;
}
export type FormErrors = Record<string, FieldError>;

const MAX_DAYS = 3650;

// Numbers as typed -----------------------------------------------------------------------------------

const str = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
const all = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : []).map((s) => s.trim()).filter(Boolean);

type Parsed = { ok: true; value: number } | { ok: false; error: FieldError };

function parseWhole(text: string, max: number): Parsed {
	if (!/^-?\d+$/.test(text)) return { ok: false, error: { code: 'whole_number' } };
	const n = Number(text);
	if (n < 0) return { ok: false, error: { code: 'negative' } };
	if (n > max) return { ok: false, error: { code: 'too_large', params: { max } } };
	return { ok: true, value: n };
}

/** "12,5" or "12.5" % → 1250 basis points; at most two decimals, 0–100. */
export function parsePercent(text: string): Parsed {
	const m = /^(\d{1,3})(?:[.,](\d{1,2}))?\s*%?$/.exec(text);
	if (!m) return { ok: false, error: text.startsWith('-') ? { code: 'negative' } : { code: 'percent' } };
	const bp = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
	if (bp > 10_000) return { ok: false, error: { code: 'too_large', params: { max: '100 %' } } };
	return { ok: true, value: bp };
}

export const formatPercent = (bp: number) => (bp % 100 === 0 ? String(bp / 100) : (bp / 100).toFixed(2).replace(/0$/, ''));

/** "4,95" or "4.95" in EUR → 495 minor units; no more decimals than the currency has. */
export function parseMoney(text: string, currency: string): Parsed {
	const digits = currencyExponent(currency);
	const m = /^(\d{1,13})(?:[.,](\d+))?$/.exec(text.replace(/[\s\u00a0\u202f]/g, ''));
	if (!m || (m[2] ?? '').length > digits) {
		return { ok: false, error: text.startsWith('-') ? { code: 'negative' } : { code: 'money', params: { digits } } };
	}
	const value = Number(m[1]) * 10 ** digits + Number((m[2] ?? '').padEnd(digits, '0') || '0');
	if (value > MAX_AMOUNT) return { ok: false, error: { code: 'too_large', params: { max: minorToDecimal(MAX_AMOUNT, currency) } } };
	return { ok: true, value };
}

// Policy → values ------------------------------------------------------------------------------------

function outputValues(prefix: string, o: Partial<Outputs>, currency: string, into: FormValues) {
	if (o.eligibility !== undefined) into[`${prefix}.eligibility`] = o.eligibility;
	if (o.windowDays !== undefined) into[`${prefix}.windowDays`] = String(o.windowDays);
	o.resolutions?.forEach((r, i) => (into[`${prefix}.resolutions.${r}`] = String(i + 1)));
	if (o.restockingFeeBasisPoints !== undefined) into[`${prefix}.restockingFee`] = formatPercent(o.restockingFeeBasisPoints);
	if (o.returnShippingFee !== undefined) into[`${prefix}.returnShippingFee`] = minorToDecimal(o.returnShippingFee, currency);
	if (o.waiveFeesForExchange !== undefined) into[`${prefix}.waiveFeesForExchange`] = String(o.waiveFeesForExchange);
	if (o.bonusCreditBasisPoints !== undefined) into[`${prefix}.bonusCredit`] = formatPercent(o.bonusCreditBasisPoints);
	if (o.keepItemBelow !== undefined) into[`${prefix}.keepItemBelow`] = minorToDecimal(o.keepItemBelow, currency);
	if (o.photosRequired !== undefined) into[`${prefix}.photosRequired`] = String(o.photosRequired);
	if (o.refundTiming !== undefined) into[`${prefix}.refundTiming`] = o.refundTiming;
}

function rangeText(kind: (typeof RANGE_CONDITIONS)[number]['kind'], n: number | undefined, currency: string) {
	if (n === undefined) return undefined;
	return kind === 'money' ? minorToDecimal(n, currency) : kind === 'percent' ? formatPercent(n) : String(n);
}

export function policyToValues(policy: Policy, currency: string): FormValues {
	const v: FormValues = { ruleCount: String(policy.rules.length) };
	outputValues('defaults', policy.defaults, currency, v);
	policy.rules.forEach((rule, i) => {
		const p = `rules[${i}]`;
		v[`${p}.id`] = rule.id;
		v[`${p}.name`] = rule.name;
		for (const { key, kind } of RANGE_CONDITIONS) {
			const r = rule.when[key] as Range | undefined;
			const min = rangeText(kind, r?.min, currency);
			const max = rangeText(kind, r?.max, currency);
			if (min !== undefined) v[`${p}.when.${key}.min`] = min;
			if (max !== undefined) v[`${p}.when.${key}.max`] = max;
		}
		for (const key of LIST_CONDITIONS) if (rule.when[key]) v[`${p}.when.${key}`] = rule.when[key]!.join(', ');
		for (const key of FLAG_CONDITIONS) if (rule.when[key] !== undefined) v[`${p}.when.${key}`] = String(rule.when[key]);
		for (const key of CHOICE_CONDITIONS) if (rule.when[key]) v[`${p}.when.${key}`] = [...rule.when[key]!];
		outputValues(`${p}.then`, rule.then, currency, v);
	});
	return v;
}

export function valuesFromForm(form: FormData): FormValues {
	const v: FormValues = {};
	for (const key of new Set(form.keys())) {
		const entries = form.getAll(key).filter((e): e is string => typeof e === 'string');
		v[key] = CHOICE_CONDITIONS.some((c) => key.endsWith(`.when.${c}`)) ? entries : (entries[0] ?? '');
	}
	return v;
}

// Values → policy ------------------------------------------------------------------------------------

function readOutputs(prefix: string, v: FormValues, currency: string, partial: boolean, errors: FormErrors): Partial<Outputs> {
	const o: Partial<Outputs> = {};
	const field = (key: string) => str(v[`${prefix}.${key}`]);
	const set = <K extends keyof Outputs>(key: K, formKey: string, parse: (t: string) => Parsed | { ok: true; value: Outputs[K] }) => {
		const text = field(formKey);
		if (text === '') {
			if (!partial) errors[`${prefix}.${formKey}`] = { code: 'required' };
			return;
		}
		const r = parse(text);
		if (r.ok) o[key] = r.value as Outputs[K];
		else errors[`${prefix}.${formKey}`] = r.error;
	};
	const choice =
		<T extends string>(allowed: readonly T[]) =>
		(t: string): { ok: true; value: T } | { ok: false; error: FieldError } =>
			(allowed as readonly string[]).includes(t) ? { ok: true, value: t as T } : { ok: false, error: { code: 'invalid' } };
	const flag = (t: string) => choice(['true', 'false'] as const)(t);

	set('eligibility', 'eligibility', choice(['eligible', 'needs_review', 'not_eligible'] as const));
	set('windowDays', 'windowDays', (t) => parseWhole(t, MAX_DAYS));
	const ranks = RESOLUTIONS.map((r) => ({ r, rank: field(`resolutions.${r}`) })).filter((x) => x.rank !== '');
	if (ranks.length === 0 && !partial) errors[`${prefix}.resolutions`] = { code: 'no_resolution' };
	else if (ranks.length) {
		if (ranks.some((x) => !/^[1-5]$/.test(x.rank))) errors[`${prefix}.resolutions`] = { code: 'invalid' };
		else if (new Set(ranks.map((x) => x.rank)).size !== ranks.length) errors[`${prefix}.resolutions`] = { code: 'duplicate_rank' };
		else o.resolutions = ranks.sort((a, b) => Number(a.rank) - Number(b.rank)).map((x) => x.r);
	}
	set('restockingFeeBasisPoints', 'restockingFee', parsePercent);
	set('returnShippingFee', 'returnShippingFee', (t) => parseMoney(t, currency));
	const waive = flag;
	set('waiveFeesForExchange', 'waiveFeesForExchange', (t) => {
		const r = waive(t);
		return r.ok ? { ok: true, value: r.value === 'true' } : r;
	});
	set('bonusCreditBasisPoints', 'bonusCredit', parsePercent);
	set('keepItemBelow', 'keepItemBelow', (t) => parseMoney(t, currency));
	set('photosRequired', 'photosRequired', (t) => {
		const r = flag(t);
		return r.ok ? { ok: true, value: r.value === 'true' } : r;
	});
	set('refundTiming', 'refundTiming', choice(REFUND_TIMINGS));
	return o;
}

function readRange(p: string, kind: (typeof RANGE_CONDITIONS)[number]['kind'], v: FormValues, currency: string, errors: FormErrors): Range | undefined {
	const out: Range = {};
	for (const end of ['min', 'max'] as const) {
		const text = str(v[`${p}.${end}`]);
		if (text === '') continue;
		const r =
			kind === 'money'
				? parseMoney(text, currency)
				: kind === 'percent'
					? parsePercent(text)
					: parseWhole(text, kind === 'days' ? MAX_DAYS : kind === 'score' ? 100 : 1_000_000);
		if (r.ok) out[end] = r.value;
		else errors[`${p}.${end}`] = r.error;
	}
	if (out.min !== undefined && out.max !== undefined && out.min > out.max) errors[p] = { code: 'min_above_max' };
	return out.min === undefined && out.max === undefined ? undefined : out;
}

const splitList = (text: string) => [...new Set(text.split(/[,;\n]/).map((s) => s.trim()).filter(Boolean))];

export type PolicyFromForm = { ok: true; policy: Policy } | { ok: false; errors: FormErrors };

export function policyFromValues(v: FormValues, currency: string): PolicyFromForm {
	const errors: FormErrors = {};
	const defaults = readOutputs('defaults', v, currency, false, errors) as Outputs;
	// Rules keep the identifiers they came with; only new ones get one made from their name.
	const submitted = Array.from({ length: ruleCount(v) }, (_, i) => str(v[`rules[${i}].id`]));
	const ids = new Set<string>();
	const kept = new Set(submitted.filter((id, i) => /^[a-z0-9][a-z0-9-]{0,39}$/.test(id) && submitted.indexOf(id) === i));
	const rules: Rule[] = [];
	for (let i = 0; i < ruleCount(v); i++) {
		const p = `rules[${i}]`;
		const name = str(v[`${p}.name`]);
		if (name === '') errors[`${p}.name`] = { code: 'required' };
		else if (name.length > 200) errors[`${p}.name`] = { code: 'too_long', params: { max: 200 } };
		const when: Conditions = {};
		for (const { key, kind } of RANGE_CONDITIONS) {
			const r = readRange(`${p}.when.${key}`, kind, v, currency, errors);
			if (r) when[key] = r;
		}
		for (const key of LIST_CONDITIONS) {
			const items = splitList(str(v[`${p}.when.${key}`]));
			if (!items.length) continue;
			if (key === 'countries') {
				const upper = items.map((c) => c.toUpperCase());
				const bad = upper.find((c) => !/^[A-Z]{2}$/.test(c));
				if (bad) errors[`${p}.when.countries`] = { code: 'country', params: { value: bad } };
				when.countries = upper;
			} else if (key === 'categories') {
				const lower = items.map((c) => c.toLowerCase());
				const bad = lower.find((c) => !/^[a-z0-9][a-z0-9_\-/]*$/.test(c));
				if (bad) errors[`${p}.when.categories`] = { code: 'category', params: { value: bad } };
				when.categories = lower;
			} else when[key] = items;
		}
		for (const key of FLAG_CONDITIONS) {
			const t = str(v[`${p}.when.${key}`]);
			if (t === 'true' || t === 'false') when[key] = t === 'true';
		}
		const reasons = all(v[`${p}.when.reasons`]);
		if (reasons.length) when.reasons = reasons;
		const conditions = all(v[`${p}.when.itemConditions`]).filter((c): c is (typeof ITEM_CONDITIONS)[number] =>
			(ITEM_CONDITIONS as readonly string[]).includes(c)
		);
		if (conditions.length) when.itemConditions = conditions;
		const then = readOutputs(`${p}.then`, v, currency, true, errors);
		if (Object.keys(then).length === 0 && !Object.keys(errors).some((k) => k.startsWith(`${p}.then`))) errors[`${p}.then`] = { code: 'no_outcome' };
		let id = submitted[i];
		if (!kept.has(id) || ids.has(id)) id = freshId(name, new Set([...ids, ...kept]));
		ids.add(id);
		rules.push({ id, name, when, then });
	}
	if (Object.keys(errors).length) return { ok: false, errors };
	// The schema is the last word whatever the path; an error it finds that the form did not is shown in its words.
	const parsed = parsePolicy({ currency, defaults, rules });
	if (!parsed.ok) {
		for (const issue of parsed.issues) errors[issue.path.replace(/\[\d+\]$/, '')] = { code: 'invalid', message: issue.message };
		return { ok: false, errors };
	}
	return { ok: true, policy: parsed.policy };
}

function freshId(name: string, taken: Set<string>): string {
	const base =
		name
			.normalize('NFD')
			.replace(/[\u0300-\u036f]/g, '')
			.toLowerCase()
			.replace(/[^a-z0-9]+/g, '-')
			.replace(/^-+|-+$/g, '')
			.slice(0, 32) || 'rule';
	let id = base;
	for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
	return id;
}

// Adding, removing and moving rules ------------------------------------------------------------------

export type RuleEdit = { kind: 'add' } | { kind: 'remove' | 'up' | 'down'; index: number };

/** The form's values after a rule is added, removed or moved: what the page shows next, unsaved. */
export function editRules(v: FormValues, edit: RuleEdit): FormValues {
	const count = ruleCount(v);
	const blocks: FormValues[] = Array.from({ length: count }, () => ({}));
	const rest: FormValues = {};
	for (const [key, value] of Object.entries(v)) {
		const m = /^rules\[(\d+)\]\.(.+)$/.exec(key);
		if (m && Number(m[1]) < count) blocks[Number(m[1])][m[2]] = value;
		else if (!m) rest[key] = value;
	}
	const i = 'index' in edit ? edit.index : -1;
	if (edit.kind === 'add' && count < MAX_RULES) blocks.push({ name: '' });
	else if (i >= 0 && i < count) {
		if (edit.kind === 'remove') blocks.splice(i, 1);
		if (edit.kind === 'up' && i > 0) [blocks[i - 1], blocks[i]] = [blocks[i], blocks[i - 1]];
		if (edit.kind === 'down' && i < count - 1) [blocks[i + 1], blocks[i]] = [blocks[i], blocks[i + 1]];
	}
	const out: FormValues = { ...rest, ruleCount: String(blocks.length) };
	blocks.forEach((b, n) => Object.entries(b).forEach(([k, value]) => (out[`rules[${n}].${k}`] = value)));
	return out;
}

export { ruleCount };
