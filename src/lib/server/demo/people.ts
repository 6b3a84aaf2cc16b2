import type { Random } from './prng';

/** Invented customers across the shop's EU markets, with addresses that look like each country's. */

export interface DemoCustomer {
	email: string;
	firstName: string;
	lastName: string;
	locale: 'en' | 'fr';
	address: { name: string; line1: string; postalCode: string; city: string; country: string };
}

interface CountryData {
	weight: number;
	first: string[];
	last: string[];
	/** Street name patterns; `#` is the house number. */
	streets: string[];
	cities: [city: string, postalCode: string][];
	frenchSpeaking: number;
}

const COUNTRIES: Record<string, CountryData> = {
	FR: {
		weight: 60,
		first: ['Camille', 'Léa', 'Manon', 'Chloé', 'Inès', 'Sarah', 'Julie', 'Emma', 'Louise', 'Alice', 'Lucas', 'Hugo', 'Thomas', 'Nathan', 'Julien', 'Maxime', 'Antoine', 'Théo', 'Paul', 'Nicolas', 'Mathilde', 'Claire', 'Élodie', 'Pauline', 'Yasmine', 'Karim', 'Mehdi', 'Sophie', 'Romain', 'Baptiste'],
		last: ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent', 'Lefebvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux', 'Vincent', 'Fournier', 'Morel', 'Girard', 'André', 'Mercier', 'Dupont', 'Lambert', 'Bonnet', 'François', 'Martinez', 'Benali'],
		streets: ['# rue de la République', '# avenue Jean Jaurès', '# rue Victor Hugo', '# boulevard Gambetta', '# rue des Lilas', '# rue Pasteur', '# place du Marché', '# rue du Faubourg Saint-Antoine', '# chemin des Vignes', '# allée des Tilleuls'],
		cities: [['Paris', '75011'], ['Paris', '75018'], ['Lyon', '69003'], ['Marseille', '13006'], ['Toulouse', '31000'], ['Nantes', '44000'], ['Bordeaux', '33000'], ['Lille', '59000'], ['Rennes', '35000'], ['Strasbourg', '67000'], ['Montpellier', '34000'], ['Grenoble', '38000'], ['Dijon', '21000'], ['Angers', '49100'], ['Tours', '37000']],
		frenchSpeaking: 1
	},
	BE: {
		weight: 10,
		first: ['Lucie', 'Margaux', 'Elise', 'Noah', 'Arthur', 'Louis', 'Lotte', 'Jens', 'Sien', 'Victor', 'Eline', 'Wout'],
		last: ['Peeters', 'Janssens', 'Maes', 'Jacobs', 'Dubois', 'Lambert', 'Dupont', 'Claes', 'Wouters', 'Goossens', 'Lemaire', 'Renard'],
		streets: ['Rue de la Loi #', 'Avenue Louise #', 'Chaussée de Wavre #', 'Kerkstraat #', 'Rue Saint-Gilles #', 'Meir #'],
		cities: [['Bruxelles', '1000'], ['Ixelles', '1050'], ['Liège', '4000'], ['Namur', '5000'], ['Antwerpen', '2000'], ['Gent', '9000'], ['Charleroi', '6000']],
		frenchSpeaking: 0.7
	},
	DE: {
		weight: 10,
		first: ['Anna', 'Lena', 'Hannah', 'Marie', 'Lukas', 'Felix', 'Jonas', 'Leon', 'Paul', 'Sophie', 'Katharina', 'Tobias'],
		last: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Hoffmann', 'Schulz', 'Koch', 'Richter'],
		streets: ['Hauptstraße #', 'Bahnhofstraße #', 'Gartenweg #', 'Schillerstraße #', 'Goethestraße #', 'Lindenallee #'],
		cities: [['Berlin', '10115'], ['München', '80331'], ['Hamburg', '20095'], ['Köln', '50667'], ['Frankfurt am Main', '60311'], ['Freiburg im Breisgau', '79098']],
		frenchSpeaking: 0.05
	},
	ES: {
		weight: 7,
		first: ['Lucía', 'Sofía', 'Martina', 'María', 'Hugo', 'Martín', 'Pablo', 'Alejandro', 'Carmen', 'Javier'],
		last: ['García', 'Rodríguez', 'González', 'Fernández', 'López', 'Martínez', 'Sánchez', 'Pérez', 'Gómez', 'Ruiz'],
		streets: ['Calle Mayor, #', 'Calle de Alcalá, #', 'Avenida de la Constitución, #', 'Carrer de Balmes, #', 'Calle del Sol, #'],
		cities: [['Madrid', '28013'], ['Barcelona', '08007'], ['Valencia', '46002'], ['Sevilla', '41001'], ['Bilbao', '48001']],
		frenchSpeaking: 0.05
	},
	IT: {
		weight: 7,
		first: ['Giulia', 'Chiara', 'Francesca', 'Sara', 'Marco', 'Luca', 'Matteo', 'Alessandro', 'Elena', 'Davide'],
		last: ['Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano', 'Colombo', 'Ricci', 'Marino', 'Greco'],
		streets: ['Via Roma #', 'Via Garibaldi #', 'Corso Vittorio Emanuele II #', 'Via Dante #', 'Viale Mazzini #'],
		cities: [['Milano', '20121'], ['Roma', '00184'], ['Torino', '10121'], ['Bologna', '40121'], ['Firenze', '50122']],
		frenchSpeaking: 0.05
	},
	NL: {
		weight: 6,
		first: ['Emma', 'Julia', 'Sanne', 'Lisa', 'Daan', 'Sem', 'Lars', 'Bram', 'Fleur', 'Thijs'],
		last: ['de Jong', 'Jansen', 'de Vries', 'van den Berg', 'van Dijk', 'Bakker', 'Visser', 'Smit', 'Meijer', 'de Boer'],
		streets: ['Kerkstraat #', 'Dorpsstraat #', 'Prinsengracht #', 'Stationsweg #', 'Molenweg #'],
		cities: [['Amsterdam', '1015 CJ'], ['Rotterdam', '3011 AD'], ['Utrecht', '3511 LX'], ['Den Haag', '2511 BT'], ['Eindhoven', '5611 AZ']],
		frenchSpeaking: 0.02
	}
};

/** Example domains (RFC 2606): the demo never mails a real person. */
const DOMAINS = ['example.com', 'example.org', 'example.net'];

const ascii = (s: string) =>
	s
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '');

export function generateCustomers(random: Random, count: number): DemoCustomer[] {
	const countries = Object.entries(COUNTRIES).map(([code, data]) => [code, data.weight] as const);
	const customers: DemoCustomer[] = [];
	const emails = new Set<string>();
	while (customers.length < count) {
		const country = random.weighted(countries);
		const data = COUNTRIES[country];
		const firstName = random.pick(data.first);
		const lastName = random.pick(data.last);
		const style = random.int(0, 3);
		const local =
			style === 0
				? `${ascii(firstName)}.${ascii(lastName)}`
				: style === 1
					? `${ascii(firstName)[0]}${ascii(lastName)}`
					: style === 2
						? `${ascii(firstName)}.${ascii(lastName)}${random.int(1, 99)}`
						: `${ascii(firstName)}${ascii(lastName)[0]}${random.int(70, 99)}`;
		const email = `${local}@${random.pick(DOMAINS)}`;
		if (emails.has(email)) continue;
		emails.add(email);
		const [city, postalCode] = random.pick(data.cities);
		customers.push({
			email,
			firstName,
			lastName,
			locale: random.chance(data.frenchSpeaking) ? 'fr' : 'en',
			address: {
				name: `${firstName} ${lastName}`,
				line1: random.pick(data.streets).replace('#', String(random.int(1, 140))),
				postalCode,
				city,
				country
			}
		});
	}
	return customers;
}
