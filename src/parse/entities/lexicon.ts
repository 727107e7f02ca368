/**
 * Word lists of the entity stage, each named after the convention of news copy it serves.
 * The general lists shared with attribution (titles, role heads, organisation and place
 * keywords, honorifics, cues, outlets) stay in `../lexicon.ts`; these are the ones only the
 * entity stage reads. All lowercase, matched against a token's `lower` form exactly.
 */
import { ORG_KEYWORDS, PLACE_KEYWORDS } from '../lexicon.js';

/** Builds a Set from a whitespace-separated list. */
const set = (words: string): Set<string> => new Set(words.trim().split(/\s+/));

/**
 * International bodies usually written as acronyms, with their full names: the acronym and
 * the full name are one organisation ("the EU" = "the European Union"; wire style spells a
 * body out on first reference and uses the acronym after).
 */
export const ORG_ACRONYMS: Record<string, string> = {
  EU: 'European Union',
  UN: 'United Nations',
  AU: 'African Union',
  IMF: 'International Monetary Fund',
  WHO: 'World Health Organization',
  WTO: 'World Trade Organization',
};

/**
 * Nouns an organisation owns ("the club's players", "the firm's shares", "Kestrel Build's
 * board"): a name whose possessive governs one of them is an organisation, not a person.
 */
export const ORG_OWNED = set(`shares stock board headquarters employees staff workforce players squad fans supporters
 customers investors shareholders directors profits revenue chairman chairwoman owners stadium factory factories plant
 subsidiary brand editor newsroom reporters members`);

/**
 * Common nouns standing right before a proper name that mark it as an organisation ("the
 * radio station Onda Llevant", "the lender Carvalho Credit"): the classifier-noun apposition.
 */
export const ORG_PRENOUNS = set(`station newspaper broadcaster firm company group fund brokerage bank club agency network
 channel magazine website outlet daily weekly paper insurer lender carrier airline startup union party charity tabloid`);

/**
 * Keywords that allow "of"/"for"/"and" inside a name ("Central Bank of Chile", "Democratic
 * Republic of Congo", "Secretary of State"): formal names of bodies, states and offices.
 */
export const OF_KEYWORDS = new Set([
  ...ORG_KEYWORDS,
  ...PLACE_KEYWORDS,
  ...set('republic kingdom states emirates force forces minister secretary ministry department bank university museum court'),
]);

/**
 * Words that make an organisation's name a company's ("Kestrel Holdings", "Aurum Mining
 * Ltd."): such a body is also "the company" / "the firm" in later descriptions.
 */
export const COMPANY_WORDS = set(`inc. inc ltd. ltd llc plc corp. corp corporation company systems mining holdings industries
 group technologies labs motors airlines energy petroleum capital partners bancorp properties realty enterprises ventures
 associates logistics foods pharmaceuticals productions studios brands`);

/** Weekday and month names (and their wire abbreviations): capitalised by spelling, never entities on their own. */
export const WEEKDAYS_MONTHS = set(`monday tuesday wednesday thursday friday saturday sunday january february march april may
 june july august september october november december jan. feb. aug. sept. oct. nov. dec.`);

/**
 * Verbs and auxiliaries that follow a subject: a lone capitalised word before one of them is a
 * subject ("Ortega said", "Lisbon has"), not an adjective before a noun ("Western nations").
 */
export const PREDICATE_AFTER_NAME = set('said says told added wrote has had was is');

/** Reporting verbs right after a name that only people (or bodies speaking as people) take: "Smith said". */
export const SPEECH_AFTER_NAME = set('said says told added wrote stated');

/** Verbs right before a name in inverted attribution ("said Smith", "according to Smith"); not "told Reuters". */
export const SPEECH_BEFORE_NAME = set('said says added according');

/** Role acronyms that are never an organisation on their own ("the CEO", "MPs"). */
export const ROLE_ACRONYMS = set('ceo cfo coo cto mp mps');

/** Compass and regional words that open the name of a region ("Central America", "Southern Africa", "Latin America"). */
export const REGION_PREFIXES = set(`north south east west central latin northern southern eastern western sub-saharan southeast
 northeast southwest northwest`);

/** Continents, oceans and regions a compass word can open ("West Africa", "the South Pacific"). */
export const REGION_BASES = set('africa america americas asia europe pacific atlantic caribbean mediterranean balkans arctic antarctic sahel');

/** Adjectives of direction or setting between a locative preposition and a place ("in northern Mali", "in rural Kenya"). */
export const LOCATIVE_ADJECTIVES = set(`northern southern eastern western central north south east west rural coastal northeastern
 northwestern southeastern southwestern`);

/**
 * Prepositions before a capital that put the story in the city ("in Lisbon", "downtown
 * Santiago"): the city, not its government. A capital after "talks"/"summit" + preposition is
 * still the meeting of governments ("talks in Moscow").
 */
export const CITY_PREPS = set('in at near outside inside across around throughout downtown central');

/**
 * Prepositions besides the locative ones that put a place name after a person or body: a
 * lawmaker's state ("Sen. Jeff Merkley of Oregon"), a committee's subject ("the Committee on Benghazi").
 */
export const PLACE_OF = set('of on');

/** Nouns before "in/at + capital" that make it a meeting of governments rather than the city ("talks in Geneva"). */
export const MEETING_NOUNS = set('talks summit');

/** Nouns before "of + capital" that belong to the city ("the mayor of Paris", "the streets of Lisbon", "the city of Santiago"). */
export const CITY_OF_NOUNS = set(`mayor mayors city streets suburbs outskirts centre center heart residents people council
 police port airport metro district districts`);

/**
 * City bodies and services after a capital ("Lisbon's mayor", "the Lisbon tram operator",
 * "Paris city council"): what belongs to the city, so the capital is the city itself.
 */
export const CITY_BODIES = set(`mayor mayors city council councillor councillors councilor councilors metro subway tram trams
 buses bus police airport port residents streets neighbourhood neighbourhoods neighborhood neighborhoods suburb suburbs
 marathon zoo museum hall district districts municipality transit operator fire hospital hospitals restaurant restaurants
 hotel hotels school schools`);

/**
 * Plural nouns for groups of people: a run ending in one names a group, never a person
 * ("African Americans", "House Republicans", "New Yorkers").
 */
export const GROUP_PLURALS = set(`americans democrats republicans conservatives liberals progressives evangelicals independents
 muslims christians catholics jews latinos hispanics yorkers voters democrats’ republicans’`);

/**
 * Head nouns of descriptions that fit companies and bodies, not people ("Carris, the city's
 * tram operator"): a name whose only appositives have these heads is an organisation.
 */
export const ORG_APPOSITIVE = set(`operator company firm carrier airline broadcaster lender bank insurer maker manufacturer
 producer retailer chain network agency union group developer utility supplier publisher newspaper charity startup
 subsidiary regulator club party`);

/** Words that never begin or make up a person's name (pronouns, conjunctions, pre-name adjectives capitalised by position). */
export const NEVER_NAME = set('i i’m i\'m i’ve i\'ve he she they we you it and but of the this that presumptive former');

/** Relative pronouns that end an appositive role ("a spokeswoman for the forest who has worked fires …"). */
export const RELATIVE_PRONOUNS = set('who which whose that');

/** Who-clause pronouns after "Name," that introduce a person ("Ortega, who …"). */
export const PERSON_RELATIVES = set('who whose');

/**
 * Nouns a politician's name modifies ("the Obama administration", "the Clinton campaign", "Sanders
 * aides", "the Merkel government"): the name before them is a person's.
 */
export const PERSON_OWNED_NOUNS = set('administration administrations campaign campaigns presidency premiership camp aides aide adviser advisers advisor advisors loyalists surrogates doctrine');

/** Capitalised adjectives that modify those nouns without being anyone's name ("the Republican campaign", "European aides"). */
export const NOT_OWNERS = set('republican republicans democratic democrat democrats gop european western eastern northern southern arab african asian latin american federal state national senate house white congressional presidential soviet communist conservative liberal labour labor tory green independent');

/** Kinship nouns before a given name: the name is a relative's ("his daughter Ivanka", "his wife, Jane"). */
export const KINSHIP_NOUNS = set('wife husband daughter son sister brother mother father widow widower niece nephew grandson granddaughter grandmother grandfather cousin aunt uncle fiancee fiancée fiance fiancé stepson stepdaughter stepmother stepfather');

/** Auxiliaries and adverbs that open a predicate after "Name," ("Kasongo, has said …"): no appositive follows. */
export const PREDICATE_OPENERS = set('has had have is was were will would could also');

/** Verbs of a who-clause that give a role ("X, who heads the agency,"): the clause is the role. */
export const ROLE_CLAUSE_VERBS = set('leads heads runs chairs represents manages directs oversees owns founded coaches edits advises led headed');

/** Kinship nouns: a person inside such an appositive is the relative, not the role's owner ("his sister, Ana Ruiz,"). */
export const KIN_NOUNS = set('sister brother father mother son daughter wife husband');

/** Clause words that show a phrase before "…, Name," is a clause, not a role ("Among the strikers was, …"). */
export const CLAUSE_VERBS = set('was is were said told');

/** Words right before a lowercase role noun before a name ("the collector Walter Dunmore", ", curator Ana Ruiz"). */
export const PRE_ROLE_OPENERS = set('the a an by with from to and for');

/**
 * Endings of words that look like agent nouns (-er, -or, -ist, -ian) but are not roles
 * ("water", "border", "sister", "councilmember"): a lowercase word before a name is read as a
 * job title by its ending otherwise. Matched as endings, so compounds count too.
 */
export const NOT_AGENT_ENDINGS = set(`ever over under after other order later former either neither whether rather together another
 border corner center water matter number power paper minor major floor door error sector factor mirror harbour harbor
 labour labor honour honor favour favor colour color winter summer member monster theater theatre letter quarter dinner
 river chapter sister brother mother father`);

/** Verbs of appointment whose object takes its role after "as" ("appointed Marta Leal as its chief executive"). */
export const APPOINTMENT_VERBS = set('appointed named hired elected chose picked tapped promoted installed confirmed nominated');

/** Determiners and modifiers opening the role after "appointed X as" ("its new chief executive"). */
export const APPOINTED_ROLE_OPENERS = set('its their his her the a an new interim acting');

/** Words that end the role after "appointed X as" ("as chair in March", "as chief executive after …"). */
export const APPOINTED_ROLE_STOPS = set('in on at after from with to and who which that');

/** Honorifics and titles of men, for a surname's gender ("Mr Marsh"). */
export const MALE_HONORIFICS = set('mr mr. sir lord');

/** Honorifics and titles of women, for a surname's gender ("Mrs Marsh"). */
export const FEMALE_HONORIFICS = set('mrs mrs. ms ms. miss dame lady');

/** Possessive and personal pronouns that say nothing of the role-holder's own gender ("her deputy"). */
export const ROLE_PRONOUNS = set('her his hers their she he');

/** Masculine pronouns: a pronoun inside a role is someone else's ("his deputy"), not the holder's gender. */
export const MALE_PRONOUNS = set('his he him himself');

/** Title abbreviations and what a later description calls the same person ("Gov." → "the governor"). */
export const TITLE_ABBREVIATIONS: Record<string, string> = {
  gov: 'governor', gen: 'general', sen: 'senator', rep: 'representative', lt: 'lieutenant', capt: 'captain', col: 'colonel',
  sgt: 'sergeant', prof: 'professor', supt: 'superintendent', det: 'detective', insp: 'inspector', cllr: 'councillor', adm: 'admiral',
  cmdr: 'commander', maj: 'major', atty: 'attorney', amb: 'ambassador', pres: 'president',
};
