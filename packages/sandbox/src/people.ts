// Realistic, deterministic customers: one neutral `Person` per index, shaped for each API.
// Phone numbers use ranges reserved for fiction where they exist (US 555-01xx, UK 020 7946 0xxx /
// 07700 900xxx); email and web domains are reserved example domains, so nothing points at a real party.
import { Random } from "./random.js";

interface Locale {
  country: string;
  currency: string;
  language: "en" | "it" | "es" | "fr";
  taxPrefix: string;
  firstNames: readonly string[];
  lastNames: readonly string[];
  /** [city, region or null, postal code template: # a digit, @ a letter] */
  cities: readonly (readonly [string, string | null, string])[];
  streets: readonly string[];
  /** Street and number, as written locally. */
  address(street: string, number: number): string;
  countryCode: string;
  phone(r: Random): string;
  mobile(r: Random): string;
  companySuffix: readonly string[];
}

const US: Locale = {
  country: "US",
  currency: "USD",
  language: "en",
  taxPrefix: "US",
  firstNames: [
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "Michael",
    "Jennifer",
    "David",
    "Linda",
    "Ada",
    "Grace",
  ],
  lastNames: ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Hopper", "Lee"],
  cities: [
    ["San Francisco", "CA", "941##"],
    ["New York", "NY", "100##"],
    ["Austin", "TX", "787##"],
    ["Chicago", "IL", "606##"],
    ["Seattle", "WA", "981##"],
    ["Boston", "MA", "021##"],
  ],
  streets: ["Market Street", "Main Street", "Oak Avenue", "Elm Street", "Maple Drive", "Pine Street"],
  address: (street, n) => `${n} ${street}`,
  countryCode: "1",
  phone: (r) => `${r.pick(["202", "212", "305", "415", "512", "617"])}-555-01${r.digits(2)}`,
  mobile: (r) => `${r.pick(["310", "646", "702", "206"])}-555-01${r.digits(2)}`,
  companySuffix: ["Inc.", "LLC", "Corp."],
};

const GB: Locale = {
  country: "GB",
  currency: "GBP",
  language: "en",
  taxPrefix: "GB",
  firstNames: [
    "Oliver",
    "Amelia",
    "Harry",
    "Isla",
    "George",
    "Emily",
    "Frank",
    "Charlotte",
    "Arthur",
    "Freya",
  ],
  lastNames: [
    "Taylor",
    "Evans",
    "Thomas",
    "Roberts",
    "Walker",
    "Wright",
    "Elvgren",
    "Hughes",
    "Green",
    "Hall",
  ],
  cities: [
    ["London", null, "EC# #@@"],
    ["Manchester", null, "M# #@@"],
    ["Edinburgh", "Scotland", "EH# #@@"],
    ["Bristol", null, "BS# #@@"],
  ],
  streets: ["High Street", "Station Road", "Church Lane", "Victoria Road", "Gough Square", "Baker Street"],
  address: (street, n) => `${n} ${street}`,
  countryCode: "44",
  phone: (r) => `020 7946 0${r.digits(3)}`,
  mobile: (r) => `07700 900${r.digits(3)}`,
  companySuffix: ["Ltd", "PLC", "& Co."],
};

const IT: Locale = {
  country: "IT",
  currency: "EUR",
  language: "it",
  taxPrefix: "IT",
  firstNames: [
    "Giulia",
    "Marco",
    "Francesca",
    "Luca",
    "Chiara",
    "Matteo",
    "Sofia",
    "Niccolò",
    "Elena",
    "Andrea",
  ],
  lastNames: [
    "Rossi",
    "Russo",
    "Ferrari",
    "Esposito",
    "Bianchi",
    "Romano",
    "Colombo",
    "De Luca",
    "Ricci",
    "Greco",
  ],
  cities: [
    ["Milano", "MI", "201##"],
    ["Roma", "RM", "001##"],
    ["Torino", "TO", "101##"],
    ["Bologna", "BO", "401##"],
    ["Napoli", "NA", "801##"],
  ],
  streets: ["Via Roma", "Via Garibaldi", "Corso Venezia", "Via Dante", "Viale Monza", "Via Mazzini"],
  address: (street, n) => `${street}, ${n}`,
  countryCode: "39",
  phone: (r) => `02 ${r.digits(4)} ${r.digits(4)}`,
  mobile: (r) => `3${r.digits(2)} ${r.digits(3)} ${r.digits(4)}`,
  companySuffix: ["S.r.l.", "S.p.A."],
};

const FR: Locale = {
  country: "FR",
  currency: "EUR",
  language: "fr",
  taxPrefix: "FR",
  firstNames: ["Camille", "Louis", "Léa", "Gabriel", "Chloé", "Hugo", "Manon", "Jules", "Inès", "François"],
  lastNames: [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Lefèvre",
    "Moreau",
  ],
  cities: [
    ["Paris", "Île-de-France", "750##"],
    ["Lyon", "Auvergne-Rhône-Alpes", "6900#"],
    ["Marseille", "Provence-Alpes-Côte d'Azur", "130##"],
    ["Bordeaux", "Nouvelle-Aquitaine", "330##"],
  ],
  streets: [
    "rue de Rivoli",
    "avenue Victor Hugo",
    "boulevard Voltaire",
    "rue de la Paix",
    "rue Saint-Honoré",
  ],
  address: (street, n) => `${n} ${street}`,
  countryCode: "33",
  phone: (r) => `01 ${r.digits(2)} ${r.digits(2)} ${r.digits(2)} ${r.digits(2)}`,
  mobile: (r) => `06 ${r.digits(2)} ${r.digits(2)} ${r.digits(2)} ${r.digits(2)}`,
  companySuffix: ["SARL", "SAS"],
};

const ES: Locale = {
  country: "ES",
  currency: "EUR",
  language: "es",
  taxPrefix: "ES",
  firstNames: ["Lucía", "Hugo", "Martina", "Mateo", "Paula", "Daniel", "Valeria", "Pablo", "Carmen", "José"],
  lastNames: [
    "García",
    "Fernández",
    "González",
    "Rodríguez",
    "López",
    "Martínez",
    "Sánchez",
    "Pérez",
    "Gómez",
    "Ruiz",
  ],
  cities: [
    ["Madrid", "Comunidad de Madrid", "280##"],
    ["Barcelona", "Cataluña", "080##"],
    ["Valencia", "Comunidad Valenciana", "460##"],
    ["Sevilla", "Andalucía", "410##"],
  ],
  streets: ["Calle Mayor", "Gran Vía", "Calle de Alcalá", "Paseo de Gracia", "Calle Serrano"],
  address: (street, n) => `${street}, ${n}`,
  countryCode: "34",
  phone: (r) => `91${r.digits(1)} ${r.digits(3)} ${r.digits(3)}`,
  mobile: (r) => `6${r.digits(2)} ${r.digits(3)} ${r.digits(3)}`,
  companySuffix: ["S.L.", "S.A."],
};

const DE: Locale = {
  country: "DE",
  currency: "EUR",
  language: "en",
  taxPrefix: "DE",
  firstNames: ["Lukas", "Anna", "Leon", "Lena", "Felix", "Mia", "Jonas", "Hannah", "Jürgen", "Sophie"],
  lastNames: [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "van Dijk",
  ],
  cities: [
    ["Berlin", "Berlin", "10###"],
    ["München", "Bayern", "80###"],
    ["Hamburg", "Hamburg", "20###"],
    ["Köln", "Nordrhein-Westfalen", "50###"],
  ],
  streets: ["Hauptstraße", "Bahnhofstraße", "Schillerstraße", "Goethestraße", "Gartenweg"],
  address: (street, n) => `${street} ${n}`,
  countryCode: "49",
  phone: (r) => `030 ${r.digits(7)}`,
  mobile: (r) => `015${r.digits(1)} ${r.digits(8)}`,
  companySuffix: ["GmbH", "AG"],
};

const LOCALES = [US, US, US, GB, GB, IT, IT, FR, ES, DE] as const;
const COMPANY_WORDS = [
  "Northwind",
  "Blue Harbor",
  "Summit",
  "Brightline",
  "Evergreen",
  "Ironbridge",
  "Lumen",
];
const COMPANY_NOUNS = ["Logistics", "Software", "Foods", "Studio", "Consulting", "Health", "Outfitters"];
const NOTES = [
  "Prefers email over phone.",
  "VIP: answer within one hour.",
  "Asked for an invoice in the local currency.",
  "Reported a billing issue last quarter; resolved.",
  "Renewal due in the spring.",
];
const PERSONAL_DOMAINS = ["example.com", "example.org", "example.net"];
const START = Date.UTC(2019, 0, 1);
const SPAN = Date.UTC(2025, 11, 31) - START;
const DAY = 86_400_000;

/** One customer, independent of any API's shape. Apideck and Deskero records are derived from it. */
export interface Person {
  firstName: string;
  lastName: string;
  company: string | null;
  email: string;
  phone: string;
  mobile: string | null;
  fax: string | null;
  countryCode: string;
  line1: string;
  city: string;
  region: string | null;
  postalCode: string;
  country: string;
  website: string | null;
  notes: string | null;
  /** Epoch ms, midnight UTC. */
  birthDate: number | null;
  language: "en" | "it" | "es" | "fr";
  currency: string;
  taxNumber: string | null;
  status: "active" | "archived";
  topClient: boolean;
  createdAt: string;
  updatedAt: string;
}

const ascii = (s: string) =>
  s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "");

function fill(template: string, r: Random): string {
  return template.replace(/[#@]/g, (c) => (c === "#" ? r.digits(1) : String.fromCharCode(65 + r.int(0, 25))));
}

/** The person at `index` (from 0) drawn from `r`; `index` makes each email unique. */
export function generatePerson(r: Random, index: number): Person {
  const locale = r.pick(LOCALES);
  const firstName = r.pick(locale.firstNames);
  const lastName = r.pick(locale.lastNames);
  const [city, region, postal] = r.pick(locale.cities);
  const hasCompany = r.chance(0.4);
  const company = hasCompany
    ? r.chance(0.5)
      ? `${r.pick(locale.lastNames)} ${r.pick(locale.companySuffix)}`
      : `${r.pick(COMPANY_WORDS)} ${r.pick(COMPANY_NOUNS)} ${r.pick(locale.companySuffix)}`
    : null;
  const domain = company ? `${ascii(company.split(" ")[0] ?? "mail")}.example` : r.pick(PERSONAL_DOMAINS);
  const created = START + Math.floor(r.next() * SPAN);
  const updated = Math.min(START + SPAN, created + Math.floor(r.next() * 400 * DAY));
  const birth = r.chance(0.6) ? Date.UTC(r.int(1945, 2004), r.int(0, 11), r.int(1, 28)) : null;
  return {
    firstName,
    lastName,
    company,
    email: `${ascii(firstName)}.${ascii(lastName)}${index + 1}@${domain}`,
    phone: locale.phone(r),
    mobile: r.chance(0.6) ? locale.mobile(r) : null,
    fax: hasCompany && r.chance(0.3) ? locale.phone(r) : null,
    countryCode: locale.countryCode,
    line1: locale.address(r.pick(locale.streets), r.int(1, 250)),
    city,
    region,
    postalCode: fill(postal, r),
    country: locale.country,
    website: company ? `https://www.${domain}` : null,
    notes: r.chance(0.3) ? r.pick(NOTES) : null,
    birthDate: birth,
    language: locale.language,
    currency: locale.currency,
    taxNumber: company ? `${locale.taxPrefix}${r.digits(locale.taxPrefix === "IT" ? 11 : 9)}` : null,
    status: r.chance(0.92) ? "active" : "archived",
    topClient: r.chance(0.1),
    createdAt: new Date(created).toISOString(),
    updatedAt: new Date(updated).toISOString(),
  };
}

/** `count` people from `seed`: the same seed gives the same people, and a smaller count gives a prefix. */
export function* generatePeople(count: number, seed: number): Generator<Person> {
  const r = new Random(seed, "people");
  for (let i = 0; i < count; i++) yield generatePerson(r, i);
}
