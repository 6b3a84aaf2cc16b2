import type { Outputs, Policy, Rule } from './rules';

/**
 * What a new policy version changed against the one it was edited from, as structured changes the
 * editor's history shows in the merchant's language ("Window: 30 → 45 days", "Rule “Sale items” added").
 */
export type PolicyChange =
	| { kind: 'created' }
	| { kind: 'default'; field: keyof Outputs; before: unknown; after: unknown }
	| { kind: 'rule_added'; rule: string }
	| { kind: 'rule_removed'; rule: string }
	| { kind: 'rule_changed'; rule: string; fields: string[] }
	| { kind: 'rules_reordered' };

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function ruleFields(a: Rule, b: Rule): string[] {
	const fields: string[] = [];
	if (a.name !== b.name) fields.push('name');
	for (const key of new Set([...Object.keys(a.when), ...Object.keys(b.when)])) {
		if (!same(a.when[key as keyof Rule['when']], b.when[key as keyof Rule['when']])) fields.push(`when.${key}`);
	}
	for (const key of new Set([...Object.keys(a.then), ...Object.keys(b.then)])) {
		if (!same(a.then[key as keyof Outputs], b.then[key as keyof Outputs])) fields.push(`then.${key}`);
	}
	return fields;
}

export function policyChanges(before: Policy | null, after: Policy): PolicyChange[] {
	if (!before) return [{ kind: 'created' }];
	const changes: PolicyChange[] = [];
	for (const field of Object.keys(after.defaults) as (keyof Outputs)[]) {
		if (!same(before.defaults[field], after.defaults[field])) {
			changes.push({ kind: 'default', field, before: before.defaults[field], after: after.defaults[field] });
		}
	}
	const old = new Map(before.rules.map((r) => [r.id, r]));
	const now = new Map(after.rules.map((r) => [r.id, r]));
	for (const rule of before.rules) if (!now.has(rule.id)) changes.push({ kind: 'rule_removed', rule: rule.name });
	for (const rule of after.rules) {
		const was = old.get(rule.id);
		if (!was) changes.push({ kind: 'rule_added', rule: rule.name });
		else {
			const fields = ruleFields(was, rule);
			if (fields.length) changes.push({ kind: 'rule_changed', rule: rule.name, fields });
		}
	}
	const kept = (rules: Rule[], other: Map<string, Rule>) => rules.filter((r) => other.has(r.id)).map((r) => r.id).join();
	if (kept(before.rules, now) !== kept(after.rules, old)) changes.push({ kind: 'rules_reordered' });
	return changes;
}
