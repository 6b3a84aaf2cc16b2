/**
 * The conversation engine: a state machine, pure. The state (what was asked, what the customer answered)
 * is plain JSON the service persists per conversation; each reply goes through `reply(context, state, input)`,
 * which validates it against the actions the state offers and answers the next state, the assistant's
 * messages and the actions the customer can take — the JSON API's `{ state, messages, actions }`.
 *
 * The engine decides nothing about money or eligibility: `context.decide` (the policy engine, wrapped by the
 * service) does. Never a dead end: while a return is possible, "talk to a person" and "cancel" are always
 * there; once offers begin, a line the policy lets the customer refund reaches the refund in one plainly
 * labelled step ("No thanks, I'd like a refund").
 */

export type Locale = 'en' | 'fr';
export type Resolution = 'fix' | 'exchange_variant' | 'exchange_product' | 'store_credit' | 'refund';
export type ActionKind = 'choice' | 'items' | 'size' | 'text' | 'photo' | 'confirm' | 'refund' | 'withdraw' | 'handoff' | 'cancel';

export interface Action {
	id: string;
	label: string;
	kind: ActionKind;
	options?: { id: string; label: string; max?: number }[];
}

export interface Message {
	role: 'assistant' | 'customer';
	text: string;
}

export interface ContextLine {
	id: string;
	title: string;
	/** Units that can still be returned. */
	returnable: number;
	/** The other sizes of the same item in stock, smallest first, for a size problem (none: no size question). */
	sizes?: { id: string; label: string }[];
	/** How many of `sizes` are smaller than the ordered one: "too small" shows those after, "too large" those before. */
	smallerSizes?: number;
	/** The size (an id among `sizes`) a size problem points to when the customer is not sure: the next one up or down in stock. */
	suggestedSizes?: Partial<Record<'too_small' | 'too_large' | 'too_small:2' | 'too_large:2', string>>;
	/** A cable or a charger: which device it is for can settle a compatibility problem. */
	accessory?: boolean;
	/** Other variants of the item are in stock (another size or colour): an exchange for one is possible. */
	exchangeable?: boolean;
	/** The ordered variant, and whether it is in stock: a damaged, faulty or wrong item can be replaced by the same one. */
	variantId?: string | null;
	replaceable?: boolean;
	/** Other products of the same kind in stock, for an exchange for another product (none: the shop picks with the customer). */
	alternatives?: { id: string; label: string }[];
}

export interface DeviceCheck {
	verdict: 'compatible' | 'slower' | 'incompatible' | 'unknown';
	/** The verdict in the customer's language, with its reasons ("It fits: its USB-C end fits your Galaxy S23…"). */
	sentence: string;
	/** A product of the shop that fits the device fully, by name, when this one does not. */
	alternative: string | null;
	/** Its id, recorded on the return when the customer takes the exchange. */
	alternativeId?: string | null;
}

export interface Offer {
	resolution: Resolution;
	/** What the customer gets, in words with the amount ("Store credit of €98.89, bonus included"). */
	label: string;
}

export interface Decision {
	eligibility: 'eligible' | 'needs_review' | 'not_eligible';
	/** The policy's explanation, in the customer's language. */
	explanation: string;
	/** In the policy's order; `refund` among them when the policy lets every line be refunded. */
	offers: Offer[];
	/** Whether the policy lets the customer keep the items instead of sending them back. */
	canKeep: boolean;
}

export interface ConversationContext {
	locale: Locale;
	lines: ContextLine[];
	reasons: { code: string; label: string }[];
	withdrawalOpen: boolean;
	/** The policy engine's answer for the chosen items and reason. */
	decide(items: { lineId: string; quantity: number }[], reason: string): Decision;
	/** The reason behind free text, with the model's confidence (the local classifier or Claude). */
	classify(text: string): { reason: string; confidence: number; ranking: { reason: string; probability: number }[] };
	confidenceThreshold: number;
	/** Now, as the customer reads it in the shop's time zone: a withdrawal is acknowledged with its date and time. */
	now?: string;
	/** The devices the shop knows, for a compatibility problem (none: no device question). */
	devices?: { id: string; label: string }[];
	/** The compatibility of an ordered accessory with a device, from the product's attributes and the devices table. */
	checkDevice?(lineId: string, deviceId: string): DeviceCheck;
	/** The photos uploaded in this conversation so far (ids): the only ones a photo answer may name. */
	photoIds?: string[];
}

export type Step =
	| 'items'
	| 'reason'
	| 'fit'
	| 'device'
	| 'photos'
	| 'symptom'
	| 'troubleshoot'
	| 'product'
	| 'offers'
	| 'method'
	| 'summary'
	| 'submitted'
	| 'prevented'
	| 'refused'
	| 'handoff'
	| 'cancelled'
	| 'withdraw_confirm'
	| 'withdrawn';

export interface ConversationState {
	step: Step;
	items: { lineId: string; quantity: number }[];
	reason: string | null;
	/** After unclear free text: the reasons to pick from. */
	suggestedReasons: string[] | null;
	resolution: Resolution | null;
	method: 'label' | 'drop_off' | 'keep' | null;
	/** For a size problem: the size the customer would take instead (an option id), or null when unsure. */
	wantedSize?: string | null;
	/** For a compatibility problem: the device named and the verdict (null: not listed; absent: not asked). */
	device?: ({ id: string; label: string } & DeviceCheck) | null;
	/** For an exchange for another product: the product chosen (an id among the line's alternatives). */
	wantedProduct?: string | null;
	/** For a cable or charger that does not work: what happens (absent: not asked). */
	symptom?: Symptom;
	/** For damage or a wrong item: the photos sent (empty: none; absent: not asked). */
	photoIds?: string[];
	/** What the customer wrote about the problem, in their words (kept on the return for staff and insights). */
	comment?: string;
	/** Counts the customer's interactions (each pick, typed answer or button press). */
	interactions: number;
	/** The step the offers were first shown at, for the "refund within two steps" promise. */
	offersShownAt: number | null;
	transcript: Message[];
}

export const SYMPTOMS = ['no_charge', 'slow', 'intermittent', 'dead'] as const;
export type Symptom = (typeof SYMPTOMS)[number];

export type ReplyInput = { actionId: string; values?: Record<string, unknown> } | { text: string };

export class ConversationError extends Error {
	constructor(
		readonly code: 'unknown_action' | 'invalid_values' | 'finished',
		message: string
	) {
		super(message);
		this.name = 'ConversationError';
	}
}

const WORDS = {
	en: {
		hello: 'Hello! Which items would you like to return?',
		pickItems: 'Choose the items and quantities',
		why: 'What is wrong with them? Pick a reason or tell me in your own words.',
		tell: 'Tell me in your own words',
		whichSize: 'Which size would fit you?',
		unsureSize: 'I’m not sure — suggest one',
		byHowMuch: 'Or tell me by how much',
		bySizes: (direction: 'too_small' | 'too_large', n: number) =>
			direction === 'too_small' ? (n === 1 ? 'About one size too small' : 'About two sizes too small') : n === 1 ? 'About one size too large' : 'About two sizes too large',
		usualSize: 'The size I usually wear',
		usualNotFound: (size: string) => `I can’t find ${size} in stock for this item. Pick one of the sizes above, or let me suggest one.`,
		suggestSize: (size: string) => `Then I suggest ${size}.`,
		whichDevice: 'Which device do you use it with?',
		deviceUnlisted: 'My device is not in the list',
		fitsKeep: 'Good to know — I’ll keep it',
		exchangeFor: (label: string, product: string) => `${label}: ${product}`,
		exchangeSize: (size: string) => `Exchange for size ${size}`,
		replacement: 'A replacement: the same item, sent again',
		whichProduct: 'Which product would you like instead?',
		whatHappens: 'What happens exactly?',
		symptoms: { no_charge: 'It does not charge at all', slow: 'It charges slowly', intermittent: 'It works only now and then', dead: 'It stopped working' },
		tips: {
			no_charge:
				'Let’s try one thing first: plug it straight into a wall charger (not a computer or a hub), push both ends fully in, and look into the phone’s port — lint often blocks it, and a wooden toothpick clears it gently. Does it charge now?',
			slow: 'Fast charging needs a charger and a cable that both support it (USB-C Power Delivery for most phones); from a computer’s USB port it is always slow. Try it with a fast wall charger: is it quicker?',
			intermittent:
				'A loose fit is usually lint in the phone’s port: clear it gently with a wooden toothpick and push the plug fully in. Does it hold now? (If the cable is bent or frayed near a plug, it is faulty: tell me it still fails.)',
			dead: 'Try it once with another socket, and with another device if you have one: does it work there?'
		},
		tipWorked: 'Yes, that solved it',
		tipFailed: 'No, it still does not work',
		addPhotos: 'A photo helps us sort it out quickly. Could you add one or two?',
		sendPhotos: 'Send the photos',
		noPhotos: 'Continue without photos',
		photosSent: (n: number) => (n === 1 ? '1 photo' : `${n} photos`),
		unsure: 'I am not sure I understood. Is it one of these?',
		offersIntro: (e: string) => `${e} Here is what I can offer:`,
		refused: (e: string) => `I am sorry, these items cannot be returned. ${e}`,
		noThanks: 'No thanks, I’d like a refund',
		backToOffers: 'Change my choice',
		offersAgain: 'Of course. Here are the options again:',
		howBack: 'How would you like to send them back?',
		label: 'A prepaid label',
		dropOff: 'A drop-off QR code',
		keep: 'Keep the items (no need to send them back)',
		summary: 'Here is your return. Shall I confirm it?',
		summaryOf: (items: string, outcome: string, method: string) => `Here is your return: ${items}. ${outcome}. ${method}. Shall I confirm it?`,
		confirm: 'Confirm my return',
		submitted: 'Your return is confirmed.',
		prevented: 'Glad that solves it! Nothing needs to go back.',
		handoff: 'Talk to a person',
		handedOff: 'I have passed your request to the team; a person will answer you here and by email.',
		cancel: 'Cancel',
		cancelled: 'Your return request is cancelled. Nothing was sent back.',
		withdraw: 'Withdraw from contract here',
		withdrawConfirmAsk: 'You are withdrawing from your purchase. No reason is needed.',
		withdrawConfirm: 'Confirm withdrawal',
		withdrawn: 'Your withdrawal is recorded.',
		withdrawnAt: (at: string) => `Your withdrawal is recorded on ${at}. We have emailed you this acknowledgement.`
	},
	fr: {
		hello: 'Bonjour ! Quels articles souhaitez-vous retourner ?',
		pickItems: 'Choisissez les articles et les quantités',
		why: 'Quel est le problème ? Choisissez un motif ou dites-le avec vos mots.',
		tell: 'Le dire avec mes mots',
		whichSize: 'Quelle taille vous irait ?',
		unsureSize: 'Je ne sais pas — proposez-m’en une',
		byHowMuch: 'Ou dites-moi de combien',
		bySizes: (direction: 'too_small' | 'too_large', n: number) =>
			direction === 'too_small' ? (n === 1 ? 'Environ une taille trop petit' : 'Environ deux tailles trop petit') : n === 1 ? 'Environ une taille trop grand' : 'Environ deux tailles trop grand',
		usualSize: 'La taille que je porte d’habitude',
		usualNotFound: (size: string) => `Je ne trouve pas ${size} en stock pour cet article. Choisissez l’une des tailles ci-dessus, ou laissez-moi vous en proposer une.`,
		suggestSize: (size: string) => `Je vous propose alors ${size}.`,
		whichDevice: 'Avec quel appareil l’utilisez-vous ?',
		deviceUnlisted: 'Mon appareil n’est pas dans la liste',
		fitsKeep: 'Bon à savoir — je le garde',
		exchangeFor: (label: string, product: string) => `${label} : ${product}`,
		exchangeSize: (size: string) => `Échange contre la taille ${size}`,
		replacement: 'Un remplacement : le même article, renvoyé',
		whichProduct: 'Quel produit souhaitez-vous à la place ?',
		whatHappens: 'Que se passe-t-il exactement ?',
		symptoms: { no_charge: 'Il ne charge pas du tout', slow: 'Il charge lentement', intermittent: 'Il ne fonctionne que par moments', dead: 'Il ne fonctionne plus' },
		tips: {
			no_charge:
				'Essayons d’abord une chose : branchez-le directement sur un chargeur secteur (pas un ordinateur ni un hub), enfoncez bien les deux prises, et regardez dans le port du téléphone — des peluches le bouchent souvent, un cure-dent en bois les retire en douceur. Est-ce qu’il charge maintenant ?',
			slow: 'La charge rapide demande un chargeur et un câble qui la prennent tous deux en charge (USB-C Power Delivery pour la plupart des téléphones) ; sur le port USB d’un ordinateur, elle est toujours lente. Essayez avec un chargeur secteur rapide : est-ce plus rapide ?',
			intermittent:
				'Un mauvais contact vient souvent de peluches dans le port du téléphone : retirez-les doucement avec un cure-dent en bois et enfoncez bien la prise. Est-ce que ça tient maintenant ? (Si le câble est plié ou effiloché près d’une prise, il est défectueux : dites-moi que ça ne marche toujours pas.)',
			dead: 'Essayez-le une fois sur une autre prise, et sur un autre appareil si vous en avez un : fonctionne-t-il ?'
		},
		tipWorked: 'Oui, c’est réglé',
		tipFailed: 'Non, ça ne marche toujours pas',
		addPhotos: 'Une photo nous aide à régler cela vite. Pouvez-vous en ajouter une ou deux ?',
		sendPhotos: 'Envoyer les photos',
		noPhotos: 'Continuer sans photo',
		photosSent: (n: number) => (n === 1 ? '1 photo' : `${n} photos`),
		unsure: 'Je ne suis pas sûr d’avoir compris. Est-ce l’un de ces motifs ?',
		offersIntro: (e: string) => `${e} Voici ce que je peux vous proposer :`,
		refused: (e: string) => `Désolé, ces articles ne peuvent pas être retournés. ${e}`,
		noThanks: 'Non merci, je préfère un remboursement',
		backToOffers: 'Changer mon choix',
		offersAgain: 'Bien sûr. Voici à nouveau les solutions :',
		howBack: 'Comment souhaitez-vous les renvoyer ?',
		label: 'Une étiquette prépayée',
		dropOff: 'Un QR code à présenter en point relais',
		keep: 'Garder les articles (inutile de les renvoyer)',
		summary: 'Voici votre retour. Je le confirme ?',
		summaryOf: (items: string, outcome: string, method: string) => `Voici votre retour : ${items}. ${outcome}. ${method}. Je le confirme ?`,
		confirm: 'Confirmer mon retour',
		submitted: 'Votre retour est confirmé.',
		prevented: 'Tant mieux ! Rien n’a besoin d’être renvoyé.',
		handoff: 'Parler à une personne',
		handedOff: 'J’ai transmis votre demande à l’équipe ; une personne vous répondra ici et par e-mail.',
		cancel: 'Annuler',
		cancelled: 'Votre demande de retour est annulée. Rien n’a été renvoyé.',
		withdraw: 'Se rétracter du contrat ici',
		withdrawConfirmAsk: 'Vous vous rétractez de votre achat. Aucun motif n’est nécessaire.',
		withdrawConfirm: 'Confirmer la rétractation',
		withdrawn: 'Votre rétractation est enregistrée.',
		withdrawnAt: (at: string) => `Votre rétractation est enregistrée le ${at}. Nous vous avons envoyé cet accusé de réception par e-mail.`
	}
} as const;

export function start(context: ConversationContext): ConversationState {
	return {
		step: 'items',
		items: [],
		reason: null,
		suggestedReasons: null,
		resolution: null,
		method: null,
		interactions: 0,
		offersShownAt: null,
		transcript: [{ role: 'assistant', text: WORDS[context.locale].hello }]
	};
}

const FINISHED: Step[] = ['submitted', 'prevented', 'refused', 'handoff', 'cancelled', 'withdrawn'];

/** The actions the customer can take now. */
export function actions(context: ConversationContext, state: ConversationState): Action[] {
	const w = WORDS[context.locale];
	if (FINISHED.includes(state.step)) return [];
	// The withdrawal function is reachable at every step while the right lasts (and something is left to withdraw from).
	const canWithdraw = context.withdrawalOpen && state.step !== 'withdraw_confirm' && context.lines.some((l) => l.returnable > 0);
	const always: Action[] = [
		...(canWithdraw ? [{ id: 'withdraw', label: w.withdraw, kind: 'withdraw' as const }] : []),
		{ id: 'handoff', label: w.handoff, kind: 'handoff' },
		{ id: 'cancel', label: w.cancel, kind: 'cancel' }
	];
	// Once an offer is taken, the customer can still change their mind: back to the options, the refund among them.
	const back: Action[] = state.resolution && state.step !== 'withdraw_confirm' ? [{ id: 'back_to_offers', label: w.backToOffers, kind: 'choice' }] : [];
	switch (state.step) {
		case 'items': {
			const options = context.lines.filter((l) => l.returnable > 0).map((l) => ({ id: l.id, label: l.title, max: l.returnable }));
			// Everything already in a return: nothing to pick, a person can still help.
			return [...(options.length ? [{ id: 'items', label: w.pickItems, kind: 'items' as const, options }] : []), ...always];
		}
		case 'device':
			return [
				{ id: 'device', label: w.whichDevice, kind: 'choice', options: context.devices ?? [] },
				{ id: 'device_unlisted', label: w.deviceUnlisted, kind: 'choice' },
				...always
			];
		case 'product':
			return [{ id: 'product', label: w.whichProduct, kind: 'choice', options: alternativesFor(context, state) }, ...back, ...always];
		case 'symptom':
			return [
				{ id: 'symptom', label: w.whatHappens, kind: 'choice', options: SYMPTOMS.map((id) => ({ id, label: w.symptoms[id] })) },
				...always
			];
		case 'troubleshoot':
			return [
				{ id: 'tip_worked', label: w.tipWorked, kind: 'choice' },
				{ id: 'tip_failed', label: w.tipFailed, kind: 'choice' },
				...always
			];
		case 'photos':
			return [
				{ id: 'photos', label: w.sendPhotos, kind: 'photo' },
				{ id: 'skip_photos', label: w.noPhotos, kind: 'choice' },
				...always
			];
		case 'reason': {
			const shown = state.suggestedReasons ? context.reasons.filter((r) => state.suggestedReasons!.includes(r.code)) : context.reasons;
			return [
				{ id: 'reason', label: w.why, kind: 'choice', options: shown.map((r) => ({ id: r.code, label: r.label })) },
				{ id: 'text', label: w.tell, kind: 'text' },
				...always
			];
		}
		case 'fit': {
			const sizes = sizesFor(context, state);
			// "By how much" answers it too: one size or two, in the direction of the problem.
			const direction = state.reason === 'too_large' ? 'too_large' : 'too_small';
			const by = [1, 2].filter((n) => suggestedSize(context, state, n)).map((n) => ({ id: String(n), label: w.bySizes(direction, n) }));
			return [
				{ id: 'size', label: w.whichSize, kind: 'size', options: sizesToward(context, state, sizes) },
				...(by.length && state.resolution !== 'exchange_variant' ? [{ id: 'size_by', label: w.byHowMuch, kind: 'choice' as const, options: by }] : []),
				{ id: 'usual_size', label: w.usualSize, kind: 'text' },
				{ id: 'size_unsure', label: w.unsureSize, kind: 'choice' },
				...back,
				...always
			];
		}
		case 'offers': {
			const decision = context.decide(state.items, state.reason!);
			const offers = offersFor(context, state, decision);
			const refund = decision.offers.find((o) => o.resolution === 'refund');
			return [
				...offers.map((o) => ({ id: `offer:${o.resolution}`, label: offerLabel(context, state, o), kind: 'choice' as const })),
				...(refund ? [{ id: 'refund', label: `${w.noThanks} — ${refund.label}`, kind: 'refund' as const }] : []),
				...always
			];
		}
		case 'method': {
			const decision = context.decide(state.items, state.reason!);
			return [
				{
					id: 'method',
					label: w.howBack,
					kind: 'choice',
					options: [
						{ id: 'label', label: w.label },
						{ id: 'drop_off', label: w.dropOff },
						...(decision.canKeep ? [{ id: 'keep', label: w.keep }] : [])
					]
				},
				...back,
				...always
			];
		}
		case 'summary':
			return [{ id: 'confirm', label: w.confirm, kind: 'confirm' }, ...back, ...always];
		case 'withdraw_confirm':
			return [{ id: 'withdraw_confirm', label: w.withdrawConfirm, kind: 'confirm' }, ...always];
	}
	return always;
}

/** One reply: validated against the actions on offer, then the next state. Throws ConversationError on bad input. */
export function reply(context: ConversationContext, state: ConversationState, input: ReplyInput): ConversationState {
	const w = WORDS[context.locale];
	if (FINISHED.includes(state.step)) throw new ConversationError('finished', 'This conversation is finished');
	const available = actions(context, state);
	const actionId = 'text' in input ? 'text' : input.actionId;
	const action = available.find((a) => a.id === actionId);
	if (!action) throw new ConversationError('unknown_action', `"${actionId}" is not one of the actions on offer: ${available.map((a) => a.id).join(', ')}`);
	const values = 'values' in input ? (input.values ?? {}) : {};
	const next: ConversationState = { ...state, interactions: state.interactions + 1, transcript: [...state.transcript] };
	const say = (text: string) => next.transcript.push({ role: 'assistant', text });
	const heard = (text: string) => next.transcript.push({ role: 'customer', text });

	switch (action.kind) {
		case 'handoff':
			heard(action.label);
			say(w.handedOff);
			return { ...next, step: 'handoff' };
		case 'cancel':
			heard(action.label);
			say(w.cancelled);
			return { ...next, step: 'cancelled' };
		case 'withdraw':
			heard(action.label);
			say(w.withdrawConfirmAsk);
			return {
				...next,
				step: 'withdraw_confirm',
				items: context.lines.filter((l) => l.returnable > 0).map((l) => ({ lineId: l.id, quantity: l.returnable }))
			};
		case 'items': {
			const picked = values.items;
			if (!Array.isArray(picked) || picked.length === 0) throw new ConversationError('invalid_values', 'Choose at least one item: { "items": [{ "id", "quantity" }] }');
			const items = picked.map((p, i) => {
				const option = action.options!.find((o) => o.id === (p as { id?: unknown })?.id);
				const quantity = (p as { quantity?: unknown })?.quantity;
				if (!option) throw new ConversationError('invalid_values', `items[${i}].id is not one of the returnable items`);
				if (!Number.isInteger(quantity) || (quantity as number) < 1 || (quantity as number) > option.max!) {
					throw new ConversationError('invalid_values', `items[${i}].quantity must be a whole number from 1 to ${option.max}`);
				}
				return { lineId: option.id, quantity: quantity as number };
			});
			if (new Set(items.map((i) => i.lineId)).size !== items.length) throw new ConversationError('invalid_values', 'The same item is listed twice');
			heard(items.map((i) => `${i.quantity} × ${action.options!.find((o) => o.id === i.lineId)!.label}`).join(', '));
			say(w.why);
			return { ...next, step: 'reason', items };
		}
		case 'text': {
			if (action.id === 'usual_size') {
				const said = typeof values.text === 'string' ? values.text.trim() : '';
				if (!said) throw new ConversationError('invalid_values', 'Write the size you usually wear: { "text": "W32" }');
				heard(said);
				// The size they usually wear, among the sizes in stock: it is the one they want.
				const norm = (x: string) => x.toLowerCase().replace(/\s+/g, '');
				const size = sizesFor(context, state).find((o) => norm(o.label) === norm(said) || norm(o.label).replace(/^[a-z]+/, '') === norm(said));
				if (!size) {
					say(w.usualNotFound(said));
					return next;
				}
				say(w.suggestSize(size.label));
				if (state.resolution === 'exchange_variant') {
					say(w.howBack);
					return { ...next, wantedSize: size.id, step: 'method' };
				}
				return toOffers(context, { ...next, wantedSize: size.id }, state.reason!);
			}
			const text = typeof (input as { text?: unknown }).text === 'string' ? (input as { text: string }).text.trim() : typeof values.text === 'string' ? values.text.trim() : '';
			if (!text) throw new ConversationError('invalid_values', 'Write a few words: { "text": "…" }');
			heard(text);
			next.comment = state.comment ? `${state.comment}\n${text}` : text;
			const understood = context.classify(text);
			const known = context.reasons.map((r) => r.code);
			if (understood.confidence >= context.confidenceThreshold && known.includes(understood.reason)) return toOffers(context, next, understood.reason);
			// Not sure: ask rather than guess, with the likeliest reasons first.
			say(w.unsure);
			return { ...next, suggestedReasons: understood.ranking.map((r) => r.reason).filter((r) => known.includes(r)).slice(0, 4) };
		}
		case 'size': {
			const option = action.options!.find((o) => o.id === values.size);
			if (!option) throw new ConversationError('invalid_values', `Choose one of the sizes: ${action.options!.map((o) => o.id).join(', ')}`);
			heard(option.label);
			if (state.resolution === 'exchange_variant') {
				say(w.howBack);
				return { ...next, wantedSize: option.id, step: 'method' };
			}
			return toOffers(context, { ...next, wantedSize: option.id }, state.reason!);
		}
		case 'photo': {
			const ids = values.photoIds;
			const known = context.photoIds ?? [];
			if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_PHOTOS) {
				throw new ConversationError('invalid_values', `Send 1 to ${MAX_PHOTOS} photos: { "photoIds": [...] } with the ids the photo upload answered`);
			}
			const unknown = ids.find((id) => typeof id !== 'string' || !known.includes(id));
			if (unknown !== undefined) throw new ConversationError('invalid_values', `photoIds: "${String(unknown)}" is not a photo uploaded in this conversation`);
			const photoIds = [...new Set(ids as string[])];
			heard(w.photosSent(photoIds.length));
			return toOffers(context, { ...next, photoIds }, state.reason!);
		}
		case 'choice': {
			if (action.id === 'size_unsure') {
				heard(action.label);
				// The shop's suggestion: the next size up (too small) or down (too large) in stock.
				const suggested = suggestedSize(context, state);
				if (suggested) say(w.suggestSize(suggested.label));
				if (state.resolution === 'exchange_variant') {
					say(w.howBack);
					return { ...next, wantedSize: suggested?.id ?? null, step: 'method' };
				}
				return toOffers(context, { ...next, wantedSize: suggested?.id ?? null }, state.reason!);
			}
			if (action.id === 'back_to_offers') {
				heard(action.label);
				say(w.offersAgain);
				return { ...next, step: 'offers', resolution: null, method: null, wantedProduct: null, offersShownAt: next.interactions };
			}
			if (action.id === 'size_by') {
				const option = action.options!.find((o) => o.id === values.choice);
				if (!option) throw new ConversationError('invalid_values', `Choose one of: ${action.options!.map((o) => o.id).join(', ')}`);
				heard(option.label);
				const suggested = suggestedSize(context, state, Number(option.id))!;
				say(w.suggestSize(suggested.label));
				return toOffers(context, { ...next, wantedSize: suggested.id }, state.reason!);
			}
			if (action.id === 'product') {
				const option = action.options!.find((o) => o.id === values.choice);
				if (!option) throw new ConversationError('invalid_values', `Choose one of the products: ${action.options!.map((o) => o.id).join(', ')}`);
				heard(option.label);
				say(w.howBack);
				return { ...next, wantedProduct: option.id, step: 'method' };
			}
			if (action.id === 'symptom') {
				const option = action.options!.find((o) => o.id === values.choice);
				if (!option) throw new ConversationError('invalid_values', `Choose one of: ${action.options!.map((o) => o.id).join(', ')}`);
				heard(option.label);
				say(w.tips[option.id as Symptom]);
				return { ...next, symptom: option.id as Symptom, step: 'troubleshoot' };
			}
			if (action.id === 'tip_worked') {
				// Settled where it is: no return, recorded as prevented.
				heard(action.label);
				say(w.prevented);
				return { ...next, step: 'prevented', resolution: 'fix' };
			}
			if (action.id === 'tip_failed') {
				heard(action.label);
				return toOffers(context, next, state.reason!);
			}
			if (action.id === 'skip_photos') {
				heard(action.label);
				return toOffers(context, { ...next, photoIds: [] }, state.reason!);
			}
			if (action.id === 'device_unlisted') {
				heard(action.label);
				return toOffers(context, { ...next, device: null }, state.reason!);
			}
			if (action.id === 'device') {
				const option = action.options!.find((o) => o.id === values.choice);
				if (!option) throw new ConversationError('invalid_values', `Choose one of the devices: ${action.options!.map((o) => o.id).join(', ')}`);
				heard(option.label);
				const line = accessoryLine(context, state);
				const check: DeviceCheck = line && context.checkDevice ? context.checkDevice(line.id, option.id) : { verdict: 'unknown', sentence: '', alternative: null };
				if (check.sentence) say(check.sentence);
				return toOffers(context, { ...next, device: { id: option.id, label: option.label, ...check } }, state.reason!);
			}
			if (action.id === 'reason') {
				const code = values.choice ?? values.reason;
				const option = action.options!.find((o) => o.id === code);
				if (!option) throw new ConversationError('invalid_values', `Choose one of: ${action.options!.map((o) => o.id).join(', ')}`);
				heard(option.label);
				return toOffers(context, next, option.id);
			}
			if (action.id === 'method') {
				const option = action.options!.find((o) => o.id === values.choice);
				if (!option) throw new ConversationError('invalid_values', `Choose one of: ${action.options!.map((o) => o.id).join(', ')}`);
				heard(option.label);
				const chosen = { ...next, method: option.id as ConversationState['method'] };
				say(summaryText(context, chosen, option.label));
				return { ...chosen, step: 'summary' };
			}
			// An offer.
			heard(action.label);
			const resolution = action.id.slice('offer:'.length) as Resolution;
			if (resolution === 'fix') {
				// Solved where it is: no return, recorded as prevented.
				say(w.prevented);
				return { ...next, step: 'prevented', resolution };
			}
			// Another product: the one that fits the device is already known; otherwise the customer picks one.
			if (resolution === 'exchange_product' && !state.device?.alternative && alternativesFor(context, state).length) {
				say(w.whichProduct);
				return { ...next, step: 'product', resolution };
			}
			// Another size, but which one was never asked (the reason was not about size): ask now.
			if (resolution === 'exchange_variant' && !state.wantedSize && !isReplacement(state) && sizesFor(context, state).length) {
				say(w.whichSize);
				return { ...next, step: 'fit', resolution };
			}
			say(w.howBack);
			return { ...next, step: 'method', resolution };
		}
		case 'refund':
			heard(w.noThanks);
			say(w.howBack);
			return { ...next, step: 'method', resolution: 'refund' };
		case 'confirm':
			heard(action.label);
			if (state.step === 'withdraw_confirm') {
				say(context.now ? w.withdrawnAt(context.now) : w.withdrawn);
				return { ...next, step: 'withdrawn', reason: 'withdrawal', resolution: 'refund' };
			}
			say(w.submitted);
			return { ...next, step: 'submitted' };
		default:
			throw new ConversationError('unknown_action', `"${action.id}" cannot be answered yet`);
	}
}

const SIZE_REASONS = ['too_small', 'too_large'];
/** Reasons a photo helps settle: damage and a wrong item. */
export const PHOTO_REASONS = ['arrived_damaged', 'wrong_item'];
export const MAX_PHOTOS = 6;

function suggestedSize(context: ConversationContext, state: ConversationState, steps = 1) {
	const direction = state.reason === 'too_large' ? 'too_large' : 'too_small';
	for (const item of state.items) {
		const line = context.lines.find((l) => l.id === item.lineId);
		const id = line?.suggestedSizes?.[steps === 2 ? (`${direction}:2` as const) : direction];
		const size = id ? line!.sizes?.find((s) => s.id === id) : undefined;
		if (line?.sizes?.length) return size ?? null;
	}
	return null;
}

/** The products an exchange for another product can go to: those of the first chosen item that has any. */
function alternativesFor(context: ConversationContext, state: ConversationState) {
	for (const item of state.items) {
		const alternatives = context.lines.find((l) => l.id === item.lineId)?.alternatives;
		if (alternatives?.length) return alternatives;
	}
	return [];
}

/** The sizes in the direction of the problem (bigger for too small), or all of them when none is that way or the direction is unknown. */
function sizesToward(context: ConversationContext, state: ConversationState, sizes: { id: string; label: string }[]) {
	const line = state.items.map((i) => context.lines.find((l) => l.id === i.lineId)).find((l) => l?.sizes?.length);
	const smaller = line?.smallerSizes;
	if (smaller === undefined) return sizes;
	const toward = state.reason === 'too_small' ? sizes.slice(smaller) : state.reason === 'too_large' ? sizes.slice(0, smaller) : sizes;
	return toward.length ? toward : sizes;
}

/** Reasons where the item itself is at fault: the natural exchange is the same item again. */
const PROBLEM_REASONS = ['arrived_damaged', 'defective', 'wrong_item', 'missing_parts'];
const isReplacement = (state: ConversationState) => PROBLEM_REASONS.includes(state.reason ?? '') && !state.wantedSize;

function accessoryLine(context: ConversationContext, state: ConversationState) {
	return state.items.map((i) => context.lines.find((l) => l.id === i.lineId)).find((l) => l?.accessory);
}

/**
 * The offers but the refund, in the policy's order. A fix is only offered when there is a concrete one — the
 * device check found the item fits — and then first, whatever the policy lists: keeping an item needs no permission.
 */
function offersFor(context: ConversationContext, state: ConversationState, decision: Decision): Offer[] {
	const w = WORDS[context.locale];
	const fits = state.device && (state.device.verdict === 'compatible' || state.device.verdict === 'slower');
	// No "another size or colour" for an item that comes in no other one in stock — but a damaged, faulty or
	// wrong item can be replaced by the same one.
	const variants = state.items.some((i) => {
		const line = context.lines.find((l) => l.id === i.lineId);
		return line?.exchangeable !== false || (isReplacement(state) && line.replaceable === true);
	});
	const rest = decision.offers.filter((o) => o.resolution !== 'refund' && o.resolution !== 'fix' && (o.resolution !== 'exchange_variant' || variants));
	return fits ? [{ resolution: 'fix', label: w.fitsKeep }, ...rest] : rest;
}

function summaryText(context: ConversationContext, state: ConversationState, method: string): string {
	const w = WORDS[context.locale];
	const items = state.items.map((i) => `${i.quantity} × ${context.lines.find((l) => l.id === i.lineId)?.title ?? i.lineId}`).join(', ');
	const decision = context.decide(state.items, state.reason!);
	const offer = decision.offers.find((o) => o.resolution === state.resolution);
	return offer ? w.summaryOf(items, offerLabel(context, state, offer), method) : w.summary;
}

/** The sizes to ask about: those of the first chosen item that has any. */
function sizesFor(context: ConversationContext, state: ConversationState) {
	for (const item of state.items) {
		const sizes = context.lines.find((l) => l.id === item.lineId)?.sizes;
		if (sizes?.length) return sizes;
	}
	return [];
}

function offerLabel(context: ConversationContext, state: ConversationState, offer: Offer): string {
	if (offer.resolution === 'exchange_product' && state.device?.alternative) return WORDS[context.locale].exchangeFor(offer.label, state.device.alternative);
	const product = offer.resolution === 'exchange_product' && state.wantedProduct ? alternativesFor(context, state).find((p) => p.id === state.wantedProduct) : undefined;
	if (product) return WORDS[context.locale].exchangeFor(offer.label, product.label);
	if (offer.resolution === 'exchange_variant' && isReplacement(state)) return WORDS[context.locale].replacement;
	if (offer.resolution !== 'exchange_variant' || !state.wantedSize) return offer.label;
	const size = sizesFor(context, state).find((s) => s.id === state.wantedSize);
	return size ? WORDS[context.locale].exchangeSize(size.label) : offer.label;
}

/** After the reason (and each follow-up): a refusal first if the policy says so, else the next follow-up question, else the offers. */
function toOffers(context: ConversationContext, state: ConversationState, reason: string): ConversationState {
	const w = WORDS[context.locale];
	const decision = context.decide(state.items, reason);
	// No follow-up questions for items that cannot go back: the polite refusal with its reason at once.
	if (decision.eligibility === 'not_eligible' || decision.offers.length === 0) {
		state.transcript.push({ role: 'assistant', text: w.refused(decision.explanation) });
		return { ...state, reason, suggestedReasons: null, step: 'refused' };
	}
	const ask = (step: Step, text: string): ConversationState => {
		state.transcript.push({ role: 'assistant', text });
		return { ...state, reason, suggestedReasons: null, step };
	};
	// A size problem on an item that comes in other sizes: which size would fit.
	if (state.wantedSize === undefined && SIZE_REASONS.includes(reason) && sizesFor(context, state).length) return ask('fit', w.whichSize);
	// A compatibility problem with a cable or charger: which device; the check may settle it without a return.
	if (reason === 'incompatible_device' && state.device === undefined && context.devices?.length && context.checkDevice && accessoryLine(context, state)) {
		return ask('device', w.whichDevice);
	}
	// A cable or charger that does not work: what happens, then a tip that often settles it.
	if (reason === 'defective' && state.symptom === undefined && accessoryLine(context, state)) return ask('symptom', w.whatHappens);
	if (PHOTO_REASONS.includes(reason) && state.photoIds === undefined) return ask('photos', w.addPhotos);
	state.transcript.push({ role: 'assistant', text: w.offersIntro(decision.explanation) });
	return { ...state, reason, suggestedReasons: null, step: 'offers', offersShownAt: state.interactions };
}
