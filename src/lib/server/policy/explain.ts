import type { Eligibility } from './rules';
import type { Verdict } from './validators';

/**
 * Every decision as sentences a customer or a staff member reads, in their language:
 * "Eligible: delivered 12 days ago, within the 30-day window."
 */
type Locale = 'en' | 'fr';

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

const SENTENCES: Record<Locale, Record<Verdict['code'], (p: Record<string, number | string>, outcome: Eligibility) => string>> = {
	en: {
		window: (p, o) =>
			o === 'eligible'
				? `${p.from === 'order' ? 'ordered' : 'delivered'} ${p.days} ${plural(Number(p.days), 'day', 'days')} ago, within the ${p.windowDays}-day window`
				: `${p.from === 'order' ? 'ordered' : 'delivered'} ${p.days} days ago, after the ${p.windowDays}-day window`,
		final_sale: () => 'this item was sold as final sale',
		quantity_left: (p) => (Number(p.left) === 0 ? 'every unit of this item is already in a return' : `only ${p.left} can still be returned`),
		not_delivered: () => 'the parcel has not been delivered yet, so a person will check',
		policy_rule: (_, o) => (o === 'needs_review' ? 'the shop reviews returns like this one' : 'the shop’s return policy excludes this item'),
		withdrawal_period: (p, o) =>
			o === 'eligible'
				? `within the ${p.withdrawalDays}-day withdrawal period (${p.daysLeft} ${plural(Number(p.daysLeft), 'day', 'days')} left)`
				: `the ${p.withdrawalDays}-day withdrawal period has ended`
	},
	fr: {
		window: (p, o) =>
			o === 'eligible'
				? `${p.from === 'order' ? 'commandé' : 'livré'} il y a ${p.days} ${plural(Number(p.days), 'jour', 'jours')}, dans le délai de ${p.windowDays} jours`
				: `${p.from === 'order' ? 'commandé' : 'livré'} il y a ${p.days} jours, après le délai de ${p.windowDays} jours`,
		final_sale: () => 'cet article a été vendu sans reprise',
		quantity_left: (p) =>
			Number(p.left) === 0
				? 'toutes les unités de cet article sont déjà en retour'
				: `seulement ${p.left} ${plural(Number(p.left), 'peut encore être retourné', 'peuvent encore être retournés')}`,
		not_delivered: () => 'le colis n’a pas encore été livré, une personne va vérifier',
		policy_rule: (_, o) => (o === 'needs_review' ? 'la boutique examine les retours de ce type' : 'la politique de retour de la boutique exclut cet article'),
		withdrawal_period: (p, o) =>
			o === 'eligible'
				? `dans le délai de rétractation de ${p.withdrawalDays} jours (encore ${p.daysLeft} ${plural(Number(p.daysLeft), 'jour', 'jours')})`
				: `le délai de rétractation de ${p.withdrawalDays} jours est passé`
	}
};

const HEAD: Record<Locale, Record<Eligibility, string>> = {
	en: { eligible: 'Eligible', needs_review: 'To be reviewed', not_eligible: 'Not eligible' },
	fr: { eligible: 'Éligible', needs_review: 'À examiner', not_eligible: 'Non éligible' }
};

/** The verdicts that decided, most decisive first, as one sentence. */
export function explain(eligibility: Eligibility, verdicts: Verdict[], locale: Locale): string {
	const decisive = verdicts.filter((v) => v.outcome === eligibility);
	const shown = (decisive.length ? decisive : verdicts).map((v) => SENTENCES[locale][v.code](v.params, v.outcome));
	const sep = locale === 'fr' ? ' : ' : ': ';
	return shown.length ? `${HEAD[locale][eligibility]}${sep}${shown.join(locale === 'fr' ? ' ; ' : '; ')}.` : `${HEAD[locale][eligibility]}.`;
}
