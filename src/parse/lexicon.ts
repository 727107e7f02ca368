/**
 * Word lists the parser's rules use: reporting verbs (cues), titles and role nouns,
 * organisation and place keywords, name particles, gendered words. These are the
 * conventions of English-language news copy (wire style: AP Stylebook / Reuters
 * Handbook usage of "said", titles before names, appositive roles), not data about
 * any particular story.
 */

/** Builds a Set from a whitespace-separated list. */
const set = (words: string): Set<string> => new Set(words.trim().split(/\s+/));

/**
 * Reporting verbs (speech cues), as lemma → inflected forms. Used for direct-quote
 * attribution ("…,” she said) and indirect speech ("He warned that …").
 */
const CUE_LEMMAS = `say tell add state warn announce indicate report suggest note insist argue explain acknowledge
 admit concede confirm caution urge claim observe remark reply respond counter declare write tweet post predict vow
 promise pledge boast complain emphasize emphasise stress maintain agree conclude recall continue ask describe call
 accuse deny allege assert contend estimate forecast reveal disclose recount testify announce signal hint mention
 point complain lament quip shout whisper plead demand propose recommend question dismiss reject welcome praise criticize
 criticise condemn tell reiterate repeat underline underscore highlight acknowledge concede reckon believe think
 fear hope expect worry rule find show decide determine
 joke quip sigh implore snipe scoff retort exclaim gush muse marvel chide rail mock tout brag protest grumble groan
 chuckle laugh yell scream mutter murmur interject interrupt opine theorize theorise speculate surmise assure proclaim
 threaten beg scold affirm attest volunteer admonish concur rebut wonder`;

const IRREGULAR: Record<string, string[]> = {
  quip: ['quip', 'quips', 'quipped', 'quipping'],
  snipe: ['snipe', 'snipes', 'sniped', 'sniping'],
  rebut: ['rebut', 'rebuts', 'rebutted', 'rebutting'],
  concur: ['concur', 'concurs', 'concurred', 'concurring'],
  find: ['find', 'finds', 'found', 'finding'],
  show: ['show', 'shows', 'showed', 'showing', 'shown'],
  say: ['say', 'says', 'said', 'saying'],
  tell: ['tell', 'tells', 'told', 'telling'],
  write: ['write', 'writes', 'wrote', 'writing', 'written'],
  think: ['think', 'thinks', 'thought', 'thinking'],
};

function inflect(lemma: string): string[] {
  if (IRREGULAR[lemma]) return IRREGULAR[lemma]!;
  const forms = [lemma];
  if (/e$/.test(lemma)) forms.push(lemma + 's', lemma + 'd', lemma.slice(0, -1) + 'ing');
  else if (/[^aeiou]y$/.test(lemma)) forms.push(lemma.slice(0, -1) + 'ies', lemma.slice(0, -1) + 'ied', lemma + 'ing');
  else if (/(s|sh|ch|x|z)$/.test(lemma)) forms.push(lemma + 'es', lemma + 'ed', lemma + 'ing');
  else if (/^(admit|commit|regret|plan)$/.test(lemma)) forms.push(lemma + 's', lemma + lemma.slice(-1) + 'ed', lemma + lemma.slice(-1) + 'ing');
  else forms.push(lemma + 's', lemma + 'ed', lemma + 'ing');
  return forms;
}

/** Inflected reporting-verb form → lemma. */
export const CUE_FORMS: Map<string, string> = new Map();
for (const lemma of CUE_LEMMAS.trim().split(/\s+/)) for (const f of inflect(lemma)) CUE_FORMS.set(f, lemma);

/** Cues strong enough to attribute a full direct quote placed right before or after them. */
export const DIRECT_CUES = set(`say tell add state warn announce write reply respond explain insist argue continue note ask
 declare tweet post quip shout whisper plead recall acknowledge admit concede confirm caution urge claim observe remark
 counter predict vow promise boast complain emphasize emphasise stress maintain agree conclude reiterate repeat testify
 lament recount joke quip sigh implore snipe scoff retort exclaim gush muse marvel chide rail mock tout brag protest
 grumble groan chuckle laugh yell scream mutter murmur interject interrupt opine theorize theorise speculate surmise
 assure proclaim threaten beg scold affirm attest volunteer admonish concur rebut wonder`);

/** Cues that take a partial quote as complement: called it “x”, described it as “x”, accused him of “x”. */
export const CHARACTERIZING_CUES = set(`call describe accuse dismiss praise criticize criticise condemn welcome reject deny
 label brand term`);

/** Cues that report belief rather than speech; they introduce indirect speech only with "that". */
export const WEAK_CUES = set(`rule find show decide determine believe think fear hope expect worry reckon question point signal hint highlight underline underscore
 mention reveal disclose estimate forecast recommend propose demand`);

/** Words that name a thing rather than quote speech: the quote after them is a term ("so-called ‘x’", "known as ‘x’"). */
export const NAMING_CUES = set(`so-called dubbed nicknamed code-named codenamed titled entitled named branded billed styled
 marketed labelled labeled`);

/** Nouns in an appositive after a quoted term that mark it as a name/label: "“legacy” collection, a label …". */
export const LABEL_NOUNS = set(`label term phrase name nickname designation slogan moniker euphemism description title
 motto tagline codename brand word expression`);

/** Nouns for documents and outlets that can report things but are not speakers of direct quotes. */
export const SOURCE_NOUNS = set(`report reports reporting filing statement study survey memo document documents figures data
 records analysis poll polls`);

/** Head nouns of titles and roles ("President", "spokeswoman", "chief executive"). Lowercase. */
export const ROLE_HEADS = set(`president vice-president minister secretary secretary-general general gen. chancellor governor senator
 sen. representative rep. congressman congresswoman justice judge agent officer executive director chief chairman chairwoman
 chair chairperson spokesman spokeswoman spokesperson manager mayor ambassador commissioner king queen prince princess
 pope bishop archbishop cardinal rabbi imam sheikh captain capt. colonel col. lieutenant lt. sergeant sgt. admiral marshal
 commander premier deputy leader head speaker attorney treasurer auditor inspector detective superintendent professor prof.
 coach economist analyst lawyer attorney adviser advisor consultant founder co-founder owner partner editor reporter
 correspondent operator farmer engineer student organizer organiser nurse doctor physician surgeon teacher worker driver
 agent chief official spokesman researcher scientist historian collector curator investor trader banker broker priest
 pastor activist campaigner candidate member lawmaker legislator mp councillor councilor trustee president-elect
 governor-general midfielder striker defender goalkeeper player captain international striker winger mother father son
 daughter brother sister wife husband uncle aunt grandson granddaughter cousin`);

/** Capitalised title words that may stand before a name ("Health Minister Miriam Nakato"). Lowercase. */
export const PRE_TITLE_HEADS = set(`president vice-president minister secretary secretary-general general gen. chancellor governor
 senator sen. representative rep. justice judge agent officer executive director chief chairman chairwoman chair mayor
 ambassador commissioner king queen prince princess pope bishop archbishop cardinal rabbi imam sheikh captain capt. colonel
 col. lieutenant lt. sergeant sgt. admiral marshal commander premier deputy leader speaker attorney treasurer inspector
 detective superintendent professor prof. coach gov. cllr cllr. councillor sir dame lord lady dr. mr. mrs. ms. miss mx. rev. reverend father
 sister brother saint st. prime economist cfo ceo coo cto whip sheriff supervisor adviser advisor counsel anchor co-anchor
 alderman alderwoman councilman councilwoman strategist pollster host columnist correspondent spokesman spokeswoman spokesperson
 manager consultant analyst editor pastor chaplain committeeman committeewoman ag`);

/** Honorifics: kept as part of a name's surface form, never a role. Lowercase. */
export const HONORIFICS = set(`mr. mrs. ms. miss mx. dr. prof. sir dame lord lady rev. mr mrs ms dr prof`);
/** Abbreviated titles written without a period in British style ("Cllr", "Dr", "Gen"). */

/** Lowercase modifiers that belong to a following title ("former Senator", "retired Gen."). */
export const TITLE_MODIFIERS = set(`former retired acting interim outgoing incoming late then deputy vice ex- disgraced embattled
 newly-appointed new longtime veteran`);

/** Particles inside personal names ("Ana de la Cruz", "Pieter van Rensburg", "Ramon dela Paz"). Lowercase. */
export const NAME_PARTICLES = set(`de la del della der den van von di da dos das du le bin ibn al el dela delos de-la ter ten`);

/** Name suffixes ("Jr.", "III"). */
export const NAME_SUFFIXES = set(`jr. sr. jr sr ii iii iv v`);

/** Keywords that make a proper-name chunk an organisation. Lowercase. */
export const ORG_KEYWORDS = set(`ministry department bank court commission union association corporation corp. corp inc. inc ltd.
 ltd llc plc co. company companies systems alliance trust authority times post journal ledger chronicle mirror herald tribune
 gazette news press telegraph guardian observer party council museum agency fund reserve congress parliament assembly
 senate service office group bureau institute university college school hospital foundation organization organisation
 committee federation league club fc capital partners holdings industries airlines airways motors bancorp broadcasting
 network radio television tv media labs technologies mining energy petroleum oil railways ports army navy police force
 forces coalition front movement secretariat cabinet government administration board tribunal centre center society
 church mission network brokerage exchange athletic rovers wanderers rangers albion united hotspur
 courier clarion gazette examiner inquirer independent sentinel standard express record review dispatch bulletin
 enquirer properties realty enterprises ventures associates logistics foods pharmaceuticals productions studios brands`);

/** Keywords that make a proper-name chunk a place. Lowercase. */
export const PLACE_KEYWORDS = set(`sea ocean river region province state county district valley island islands mountains mountain
 hills hill lake bay gulf strait peninsula desert square street avenue road bridge airport city town village reserve
 coast plain plains basin delta canal park forest highlands lowlands territory territories crossing border`);

/** Prepositions after which a bare proper name is usually a place. */
export const LOCATIVE_PREPS = set(`in at near from to outside inside across into toward towards through via around across
 throughout within off beyond`);

export const FEMALE_WORDS = set(`she her hers herself mrs. mrs ms. ms miss madam spokeswoman chairwoman businesswoman
 congresswoman councilwoman mother daughter sister wife widow grandmother queen princess lady dame actress woman girl aunt
 niece stepmother granddaughter`);
export const MALE_WORDS = set(`he him his himself mr. mr sir lord spokesman chairman businessman congressman councilman
 father son brother husband widower grandfather king prince man boy uncle nephew stepfather grandson jr. sr.`);

/** Function words and common sentence openers that are capitalised only by position. Lowercase. */
export const FUNCTION_WORDS = set(`a an the this that these those it its he she his her they their them we our us i you your
 my me and or but nor so yet for of in on at to from by with without within about above after against along among
 around as before behind below beneath beside between beyond despite during except inside into like near off onto out
 outside over past since than through throughout till toward towards under until up upon via while whereas if unless
 because although though when where whether which who whom whose what why how however meanwhile moreover also still
 then there here thus hence indeed instead otherwise nevertheless nonetheless furthermore besides not no yes all any
 both each every either neither few many most much none other another some such only even just more less least very
 too again already always never often sometimes earlier later today yesterday tomorrow tonight now once twice first
 last next according asked speaking looking led backed amid among despite following under analysts critics officials
 is are was were be been being has have had do does did will would shall should can could may might must`);

/** Pronouns that can refer to a person speaker, by gender. */
export const PERSON_PRONOUNS: Record<string, 'female' | 'male' | 'any'> = {
  she: 'female', her: 'female', he: 'male', his: 'male', him: 'male', they: 'any', their: 'any',
};

/** Institutional metonyms not in country data: the seat stands for the government. */
export const INSTITUTION_METONYMS: Record<string, string> = {
  kremlin: 'RU',
  'white house': 'US',
  'downing street': 'GB',
  whitehall: 'GB',
  elysee: 'FR',
  'élysée': 'FR',
  'zhongnanhai': 'CN',
  'pentagon': 'US',
};

/**
 * Adjectives of countries the country-data package gives only as nouns ("Icelander" but not
 * "Icelandic officials"), as form → ISO alpha-2. Read as demonyms.
 */
export const COUNTRY_ADJECTIVES: Record<string, string> = {
  icelandic: 'IS',
  greenlandic: 'GL',
  faroese: 'FO',
  uzbek: 'UZ',
  kazakh: 'KZ',
  tajik: 'TJ',
  kyrgyz: 'KG',
  turkmen: 'TM',
  luxembourgish: 'LU',
};

/**
 * Common newsroom short forms of countries missing from the country-data package
 * ("Britain" for the United Kingdom, "America"), as form → ISO alpha-2.
 */
export const COUNTRY_SHORT_FORMS: Record<string, string> = {
  britain: 'GB',
  'great britain': 'GB',
  america: 'US',
  'the states': 'US',
  holland: 'NL',
  philippine: 'PH',
  congo: 'CD',
};

/**
 * News agencies and outlets often named bare in copy ("told Reuters", "according to Politico"):
 * organisations, never people. Lowercase; multi-word names joined by spaces.
 */
export const NEWS_OUTLETS = new Set(`reuters;ap;associated press;the associated press;afp;agence france-presse;bloomberg;bloomberg news;
 politico;axios;cnn;msnbc;cnbc;nbc;abc;cbs;fox;fox news;npr;pbs;bbc;sky news;al jazeera;the guardian;guardian;
 the new york times;new york times;the washington post;washington post;the wall street journal;wall street journal;
 usa today;the atlantic;the daily beast;daily beast;huffpost;huffington post;breitbart;breitbart news;buzzfeed;buzzfeed news;
 the hill;vox;slate;salon;newsweek;time;the economist;financial times;the financial times;the times;the independent;
 le monde;der spiegel;el país;xinhua;tass;interfax;ria novosti;kyodo;yonhap;ansa;efe;dpa;anadolu;the blaze;the intercept;
 propublica;the new yorker;new yorker;rolling stone;variety;the telegraph;daily mail;the sun;the mirror;reuters news`
  .split(';').map((x) => x.trim()).filter(Boolean));
