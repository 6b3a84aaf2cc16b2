/** The default return-reason tree every new shop starts with. Codes are stable: analytics and policies use them. */
export interface ReasonSeed {
	code: string;
	parent?: string;
	en: string;
	fr: string;
}

export const DEFAULT_REASONS: ReasonSeed[] = [
	{ code: 'fit', en: 'Size or fit', fr: 'Taille ou coupe' },
	{ code: 'too_small', parent: 'fit', en: 'Too small', fr: 'Trop petit' },
	{ code: 'too_large', parent: 'fit', en: 'Too large', fr: 'Trop grand' },
	{ code: 'fit_other', parent: 'fit', en: 'Fits badly (cut, length)', fr: 'Coupe ou longueur inadaptée' },
	{ code: 'expectations', en: 'Not what I expected', fr: 'Pas ce que j’attendais' },
	{ code: 'not_as_pictured', parent: 'expectations', en: 'Looks different from the pictures', fr: 'Différent des photos' },
	{ code: 'not_as_described', parent: 'expectations', en: 'Not as described', fr: 'Non conforme à la description' },
	{ code: 'poor_quality', parent: 'expectations', en: 'Quality lower than expected', fr: 'Qualité inférieure à mes attentes' },
	{ code: 'problem', en: 'A problem with the item', fr: 'Un problème avec l’article' },
	{ code: 'defective', parent: 'problem', en: 'Defective or stopped working', fr: 'Défectueux ou ne fonctionne plus' },
	{ code: 'arrived_damaged', parent: 'problem', en: 'Arrived damaged', fr: 'Arrivé endommagé' },
	{ code: 'wrong_item', parent: 'problem', en: 'Wrong item received', fr: 'Mauvais article reçu' },
	{ code: 'missing_parts', parent: 'problem', en: 'Parts or accessories missing', fr: 'Pièces ou accessoires manquants' },
	{ code: 'incompatible_device', parent: 'problem', en: 'Incompatible with my device', fr: 'Incompatible avec mon appareil' },
	{ code: 'no_longer_wanted', en: 'I no longer want it', fr: 'Je n’en veux plus' },
	{ code: 'changed_mind', parent: 'no_longer_wanted', en: 'Changed my mind', fr: 'J’ai changé d’avis' },
	{ code: 'ordered_by_mistake', parent: 'no_longer_wanted', en: 'Ordered by mistake', fr: 'Commandé par erreur' },
	{ code: 'found_better_price', parent: 'no_longer_wanted', en: 'Found a better price', fr: 'Trouvé moins cher ailleurs' },
	{ code: 'arrived_too_late', parent: 'no_longer_wanted', en: 'Arrived too late', fr: 'Arrivé trop tard' },
	{ code: 'withdrawal', en: 'Withdrawal from the contract (14-day right)', fr: 'Rétractation (droit de 14 jours)' },
	{ code: 'other', en: 'Another reason', fr: 'Une autre raison' }
];
