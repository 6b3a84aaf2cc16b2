/**
 * What the risk score reads about one return, as plain data: the lines asked back, the order they came from,
 * and the customer's profile as it stood when the return was made — never anything learnt later. Built by
 * `queries.ts` from the database and by the evaluation from a generated history, the same shape both ways.
 *
 * No field is a name, a gender, an age or anything inferred from them: only what the customer bought, sent
 * back, when, in what state, and which accounts share an address or a card.
 */

export interface RiskLine {
	unitPrice: number; // minor units
	quantity: number;
	category: string | null;
	/** The product is tagged "occasion" (evening wear, a camera for the weekend): worn once, then returned. */
	occasion: boolean;
	reason: string;
	/** Lines of the order that are the same product in another size or colour, this one included. */
	siblings: number;
	/** Of those, how many this return sends back. */
	siblingsReturned: number;
}

/** The customer's own account before this return. Amounts in the order's currency only. */
export interface RiskHistory {
	/** Days since the account's first order. */
	accountAgeDays: number;
	orders: number;
	orderedUnits: number;
	returns: number;
	returnedUnits: number;
	/** Returns asked for in the 30 days before this one. */
	returnsLast30Days: number;
	/** Returns asked for in the last 30 % of the window. */
	lateReturns: number;
	/** Returns holding an occasion item, and those of them that were late. */
	occasionReturns: number;
	lateOccasionReturns: number;
	/** Units inspected, and of those found used, or the wrong item / nothing in the box. */
	inspectedUnits: number;
	usedUnits: number;
	mismatchUnits: number;
	/** Orders that held one product in several sizes or colours, and how many of those groups came back whole. */
	bracketGroups: number;
	bracketGroupsAllReturned: number;
	notReceivedClaims: number;
}

/** Other accounts sharing an address or a card with this customer's orders, and what they did. */
export interface RiskLinked {
	accounts: number;
	returns: number;
	usedUnits: number;
	mismatchUnits: number;
	notReceivedClaims: number;
}

export interface RiskFacts {
	/** Days from delivery to this return; null when not delivered yet. */
	daysSinceDelivery: number | null;
	windowDays: number;
	/** The price above which an item counts as high value in this shop (its catalogue's 90th percentile). */
	highValue: number;
	lines: RiskLine[];
	history: RiskHistory;
	linked: RiskLinked;
}

export const EMPTY_HISTORY: RiskHistory = {
	accountAgeDays: 0,
	orders: 0,
	orderedUnits: 0,
	returns: 0,
	returnedUnits: 0,
	returnsLast30Days: 0,
	lateReturns: 0,
	occasionReturns: 0,
	lateOccasionReturns: 0,
	inspectedUnits: 0,
	usedUnits: 0,
	mismatchUnits: 0,
	bracketGroups: 0,
	bracketGroupsAllReturned: 0,
	notReceivedClaims: 0
};

export const EMPTY_LINKED: RiskLinked = { accounts: 0, returns: 0, usedUnits: 0, mismatchUnits: 0, notReceivedClaims: 0 };

/** A return is late when asked for in the last 30 % of its window. */
export const isLate = (daysSinceDelivery: number | null, windowDays: number) =>
	daysSinceDelivery !== null && windowDays > 0 && daysSinceDelivery >= windowDays * 0.7;

export const OCCASION_TAG = 'occasion';
