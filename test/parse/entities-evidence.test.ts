/**
 * Entities from evidence (issue 13), on stories written for these tests: capitals as cities or
 * governments, outlets, roles from appointments and lowercase titles, dotted abbreviations,
 * nicknames, and runs of capitals that are not people.
 */
import { describe, expect, it } from 'vitest';
import { entityNamed, parseArticle, quoteWith } from './helpers.js';

const typeOf = (p: ReturnType<typeof parseArticle>, name: string): string | undefined => entityNamed(p, name)?.type;

describe('entities from evidence', () => {
  it('a capital is its city where something happens in it or a city body is its own', () => {
    const p = parseArticle('Lisbon trams\n\nLisbon’s mayor approved the new tram timetable, and residents in Lisbon were told on Monday.');
    expect(typeOf(p, 'Lisbon')).toBe('place');
    expect(entityNamed(p, 'Portugal')).toBeUndefined();
    const q = parseArticle('Paris bikes\n\nThe mayor of Paris, Anne-Sophie Merlin, opened the new cycle lanes.');
    expect(typeOf(q, 'Paris')).toBe('place');
    expect(entityNamed(q, 'France')).toBeUndefined();
  });

  it('capitalised titles before a name stay out of the name, even when they hold an organisation or place word', () => {
    const p = parseArticle('Harbour dredging\n\nSenate Minority Whip Orla Brannigan opposed the plan. Harbor County Sheriff Tobias Wren agreed. Former Assembly speaker Ines Catalano laughed.\n\nSaid Mirela Stoica: “We will dredge in spring.”');
    expect(entityNamed(p, 'Orla Brannigan')?.roles).toContain('Senate Minority Whip');
    expect(entityNamed(p, 'Tobias Wren')?.roles).toContain('Harbor County Sheriff');
    expect(typeOf(p, 'Ines Catalano')).toBe('person');
    expect(entityNamed(p, 'Former Assembly')).toBeUndefined();
    expect(quoteWith(p, 'dredge in spring').speaker?.name).toBe('Mirela Stoica');
  });

  it('a surname that is also a capital or a country stays the surname; a person is not the short form of the body named after them', () => {
    const p = parseArticle('Ferry fund\n\nThe Ilse Carver Foundation paid for the new pier. “It was a gift to the island,” Ilse Carver wrote.\n\n“Fares matter,” says Dorian Hamilton, 23, a student. Later Olive Jordan spoke in Jordan.');
    expect(quoteWith(p, 'gift to the island').speaker?.name).toBe('Ilse Carver');
    expect(typeOf(p, 'Ilse Carver Foundation')).toBe('organization');
    expect(quoteWith(p, 'Fares matter').speaker?.name).toBe('Dorian Hamilton');
    expect(entityNamed(p, 'Bermuda')).toBeUndefined();
    expect(typeOf(p, 'Olive Jordan')).toBe('person');
    expect(typeOf(p, 'Jordan')).toBe('country');
  });

  it('a comma-separated list of names is names, not a headline in Title Case', () => {
    const p = parseArticle('Harbour insiders\n\nThe panel this week:\n\nMaine: Tina Ahlberg, Brad Osgood, Rob Castellan, Jeff Brannock, Bonnie Carvell, Dave Marten, Sam Delacroix, Sara Quist, Jerry Holm.');
    for (const name of ['Tina Ahlberg', 'Brad Osgood', 'Bonnie Carvell', 'Jerry Holm']) expect(typeOf(p, name)).toBe('person');
    // a real Title Case headline still introduces nobody
    const q = parseArticle('Lone Player Stands Tall As Harbour Wins\n\nThe harbour team won on Saturday.');
    expect(q.entities.filter((e) => e.type === 'person')).toEqual([]);
  });

  it('a run of titles, parties and places is no name; a weekday after a name dates it; a function word opens no name', () => {
    const p = parseArticle('Ferry vote\n\nThe Maine Congressman and an Oregon Democrat spoke first. Mayor Lise Tang said in Portland Tuesday that the vote would hold, and Lise Tang repeated it Friday.\n\nThe board met before World War II ended, a historian said. To Portray the harbour, By Saying little, the film ran long.');
    expect(entityNamed(p, 'Maine Congressman')?.type).not.toBe('person');
    expect(entityNamed(p, 'Oregon Democrat')?.type).not.toBe('person');
    expect(entityNamed(p, 'Portland Tuesday')).toBeUndefined();
    expect(entityNamed(p, 'Lise Tang Friday')).toBeUndefined();
    expect(typeOf(p, 'Lise Tang')).toBe('person');
    expect(entityNamed(p, 'World War II')?.type).not.toBe('person');
    expect(entityNamed(p, 'To Portray')).toBeUndefined();
    expect(entityNamed(p, 'By Saying')).toBeUndefined();
  });

  it('aliases the text gives a body or place: its lowercase generic form, a region adjective, an appositive description', () => {
    const p = parseArticle('Rates cut\n\nThe Reserve Bank of Norland cut its rate on Monday. Analysts said the reserve bank had waited too long. The Harbour Office said talks at Villa Serena, the presidential palace, ran late.\n\nTraders moved goods from Central America to Europe, and the museum returned its Central American pieces.');
    expect(entityNamed(p, 'Reserve Bank of Norland')?.aliases.join('; ')).toMatch(/reserve bank/);
    expect(entityNamed(p, 'Villa Serena')?.aliases).toContain('presidential palace');
    expect(entityNamed(p, 'Central America')?.aliases).toContain('Central American');
    expect(entityNamed(p, 'Central American')).toBeUndefined();
  });

  it('roles: abbreviated titles written out, a generic leader description, the principal person described by role', () => {
    const p = parseArticle('Ferry strike\n\nLONDON — Retired Gen. Ola Strand backed the strike. Sipho Vane, general secretary of the Harbour Workers Union, spoke first. The union leader said the talks had failed.');
    expect(entityNamed(p, 'Ola Strand')?.roles.join('; ')).toMatch(/general/);
    expect(entityNamed(p, 'Sipho Vane')?.roles).toContain('union leader');
    const q = parseArticle('Transfer saga\n\nLONDON — Rovers rejected a bid for Kwame Osei on Monday. The club value the Ghana international at £110 million.\n\nThe midfielder made 31 appearances last season.');
    expect(entityNamed(q, 'Kwame Osei')?.roles).toEqual(expect.arrayContaining(['Ghana international', 'midfielder']));
    expect(entityNamed(q, 'Ghana')?.type).toBe('country');
    // with two people in play, a bare role is nobody's guess
    const r = parseArticle('Transfer saga\n\nRovers rejected a bid for Kwame Osei, and Almansa signed Ruben Dias instead.\n\nThe midfielder made 31 appearances last season.');
    expect(entityNamed(r, 'Kwame Osei')?.roles).toEqual([]);
    expect(entityNamed(r, 'Ruben Dias')?.roles).toEqual([]);
  });

  it('a nickname quoted inside a name is an alias of that person; a kinship noun names a relative', () => {
    const p = parseArticle('Harbour vigil\n\nJuan “Chico” Marrow of Oakland carried a photo. Gov. C.L. "Butch" Ottley spoke after him. “We remember,” Marrow said.\n\nMercer came with his daughter Rebekah, and Sanders with his wife, Jane.');
    expect(entityNamed(p, 'Juan Marrow')?.aliases).toContain('Chico');
    expect(entityNamed(p, 'C.L. Ottley')?.aliases).toContain('Butch');
    expect(quoteWith(p, 'We remember').speaker?.name).toBe('Juan Marrow');
    expect(quoteWith(p, 'Chico')?.speaker ?? null).toBeNull();
    expect(typeOf(p, 'Rebekah')).toBe('person');
    expect(typeOf(p, 'Jane')).toBe('person');
  });

  it('an attribution line after a quotation is no headline, whatever its capitals', () => {
    const p = parseArticle('Ferry vote\n\n“He must stop,” said Sen. Susan Collins.');
    expect(typeOf(p, 'Susan Collins')).toBe('person');
    expect(quoteWith(p, 'He must stop').speaker?.name).toBe('Susan Collins');
  });

  it('a nickname that is also a demonym stays the person when a verb follows it; company words; country adjectives; an author after "according to a statement from"', () => {
    const p = parseArticle('Gym closes\n\nWalter Hendrix, a trainer who calls himself “Dutch”, ran the gym for 30 years.\n\n“Dutch saved my life,” Marcus Bellamy said. Dutch officials disagreed.\n\nPinnacle Properties, the landlord, raised the rent.\n\nIcelandic officials closed the harbour, according to a statement from the Nordic Council.');
    expect(entityNamed(p, 'Walter Hendrix')?.mentions.length).toBeGreaterThanOrEqual(2);
    expect(entityNamed(p, 'Netherlands')?.mentions.length).toBe(1);
    expect(typeOf(p, 'Pinnacle Properties')).toBe('organization');
    expect(entityNamed(p, 'Iceland')?.aliases).toContain('Icelandic');
    expect(p.quotes.find((q) => q.kind === 'indirect' && q.text.includes('closed the harbour'))?.speaker?.name).toBe('Nordic Council');
  });

  it('a name before "administration"/"campaign"/"aides" is a person; a state in a title is a place; "and" before a given name starts the next person', () => {
    const p = parseArticle('Harbour policy\n\nThe Ostrander administration and the Brackley campaign disagreed, while European allies and the Republican campaign stayed quiet.\n\n“We disagree,” Sen. Amy Kolb, Rhode Island Gov. Gina Raimund and New Mexico Gov. Maggie Hassler said. They honored former Navy SEALs Tyrone Wood and Glen Dorrity.');
    expect(typeOf(p, 'Ostrander')).toBe('person');
    expect(typeOf(p, 'Brackley')).toBe('person');
    expect(entityNamed(p, 'European')?.type).not.toBe('person');
    expect(entityNamed(p, 'Republican')?.type).not.toBe('person');
    expect(typeOf(p, 'Gina Raimund')).toBe('person');
    expect(typeOf(p, 'Rhode Island')).toBe('place');
    expect(entityNamed(p, 'Iceland')).toBeUndefined();
    expect(entityNamed(p, 'Mexico')).toBeUndefined();
    expect(typeOf(p, 'Glen Dorrity')).toBe('person');
  });

  it('a host named in a broadcaster’s programme title, an age after a name, a contact line, a given name that is also a country, church and party titles', () => {
    const p = parseArticle('Harbour policy\n\n“We will not give in,” Castell said on KTVB’s “This Week With George Stephanolis.” Police ran “Operation Jade Mirror.”\n\nGrimwald, 45, works nights at the casino. Chad Olsen and Pastor Kevin Swanfield spoke; Assistant AG Vanita Gupel listened.\n\nFollow Pam Keyes on Twitter.');
    expect(typeOf(p, 'George Stephanolis')).toBe('person');
    expect(entityNamed(p, 'Jade Mirror')).toBeUndefined();
    expect(typeOf(p, 'Grimwald')).toBe('person');
    expect(typeOf(p, 'Chad Olsen')).toBe('person');
    expect(entityNamed(p, 'Chad')).toBeUndefined();
    expect(entityNamed(p, 'Kevin Swanfield')?.roles).toContain('Pastor');
    expect(entityNamed(p, 'Vanita Gupel')?.roles).toContain('Assistant AG');
    expect(entityNamed(p, 'Pam Keyes')).toBeDefined();
    expect(entityNamed(p, 'Follow Pam Keyes')).toBeUndefined();
  });

  it('a nickname given to "the midfielder" when one person is named; a body also named without its leading country form', () => {
    const p = parseArticle('Transfer saga\n\nLONDON — Rovers rejected a bid for Kwame Osei on Monday.\n\nThe midfielder, known to supporters as ‘the Metronome’ for his passing, made 31 appearances. The U.S. Federal Reserve held rates.');
    expect(entityNamed(p, 'Kwame Osei')?.aliases).toContain('the Metronome');
    expect(entityNamed(p, 'U.S. Federal Reserve')?.aliases).toContain('Federal Reserve');
    // two people in play: the role names neither
    const q = parseArticle('Transfer saga\n\nRovers rejected a bid for Kwame Osei, and Almansa signed Ruben Dias.\n\nThe midfielder, known to supporters as ‘the Metronome’, made 31 appearances.');
    expect(entityNamed(q, 'Kwame Osei')?.aliases ?? []).not.toContain('the Metronome');
    expect(entityNamed(q, 'Ruben Dias')?.aliases ?? []).not.toContain('the Metronome');
  });

  it('a description resolved to a person is one of the names the text uses for them', () => {
    const p = parseArticle('Wildfire spreads\n\nCapt. Renata Ostrow, a spokeswoman for the forest service, said crews were holding the line. The spokeswoman said more help would come on Tuesday.');
    expect(entityNamed(p, 'Renata Ostrow')?.aliases).toContain('the spokeswoman');
  });

  it('a capital is its government where it acts as one', () => {
    const p = parseArticle('Ceasefire plan\n\nParis could contribute troops, and Washington ruled out any help, officials said. Talks between Moscow and Kyiv stalled.');
    expect(entityNamed(p, 'France')?.aliases).toContain('Paris');
    expect(entityNamed(p, 'United States')?.aliases).toContain('Washington');
    expect(entityNamed(p, 'Russia')?.aliases).toContain('Moscow');
    expect(entityNamed(p, 'Paris')).toBeUndefined();
  });

  it('an outlet quoted with "told" is an organisation, never a person', () => {
    const p = parseArticle('Port strike\n\n“We are not moving,” Nomvula Khumalo told Reuters on Friday. Reuters later confirmed the figures.');
    expect(typeOf(p, 'Reuters')).toBe('organization');
    expect(quoteWith(p, 'not moving').speaker?.name).toBe('Nomvula Khumalo');
  });

  it('reads roles from appointments, lowercase titles and possessive appositives; the role stays out of the name', () => {
    const p = parseArticle('Tram company changes\n\nThe board appointed Marta Leal as its chief executive in March. Campaign chairman Tomas Vieira backed her. Ana Pires, Carris’s finance director, defended the fares.');
    expect(entityNamed(p, 'Marta Leal')?.roles).toContain('chief executive');
    expect(entityNamed(p, 'Tomas Vieira')?.roles).toContain('Campaign chairman');
    expect(entityNamed(p, 'Ana Pires')?.roles.some((r) => /finance director/.test(r))).toBe(true);
  });

  it('a name described only as a company is an organisation', () => {
    const p = parseArticle('Tram fares\n\nCarris, the city’s tram operator, will raise fares by 12 percent.');
    expect(typeOf(p, 'Carris')).toBe('organization');
  });

  it('dotted abbreviations join their entity', () => {
    const p = parseArticle('Summit\n\nThe U.K. and N.A.T.O. said nothing, and the UK embassy declined to comment. NATO later issued a statement.');
    expect(entityNamed(p, 'United Kingdom')?.aliases).toEqual(expect.arrayContaining(['U.K.', 'UK']));
    expect(typeOf(p, 'NATO')).toBe('organization');
    expect(entityNamed(p, 'NATO')?.aliases).toContain('N.A.T.O.');
    expect(entityNamed(p, 'N.A.T.O.')).toBeUndefined();
  });

  it('a nickname introduced as such is no quote and no country', () => {
    const p = parseArticle('Market day\n\nA street vendor who calls himself “Dutch” sold tickets outside the station.');
    expect(p.quotes.filter((q) => q.kind === 'direct')).toEqual([]);
    expect(entityNamed(p, 'Netherlands')).toBeUndefined();
  });

  it('a nickname introduced as such is an alias of its person, never a country, never speech', () => {
    const text = 'Market day\n\nKaspar Lind, a street vendor who calls himself “Dutch”, sold tickets outside the station. “Sales are up,” Dutch said later. Dutch officials inspected the stall.';
    const p = parseArticle(text);
    const lind = entityNamed(p, 'Kaspar Lind');
    expect(lind?.type).toBe('person');
    expect(lind?.aliases).toContain('Dutch');
    expect(quoteWith(p, 'Dutch', 'term').kind).toBe('term');
    expect(quoteWith(p, 'Sales are up').speaker?.name).toBe('Kaspar Lind');
    // "Dutch officials" is the adjective again: the Netherlands, with that one mention only.
    expect(entityNamed(p, 'Netherlands')?.mentions.map((m) => m.text)).toEqual(['Dutch']);
    expect(entityNamed(p, 'Netherlands')?.mentions[0]!.start).toBe(text.indexOf('Dutch officials'));
  });

  it('reads the common nickname intros, each for its own person', () => {
    const cases: [string, string, string][] = [
      ['Ilse Marten, known as “the Bulldozer”, closed the mine.', 'Ilse Marten', 'the Bulldozer'],
      ['Former minister Greta Voll, nicknamed “Iron Lady” by her staff, resigned.', 'Greta Voll', 'Iron Lady'],
      ['Party leader Boris Kell, dubbed “the Professor” by colleagues, spoke for an hour.', 'Boris Kell', 'the Professor'],
      ['Rui Dantas, whom fans call “Dutch”, scored twice.', 'Rui Dantas', 'Dutch'],
      ['The striker Rui Dantas is known to fans as “Dutch”.', 'Rui Dantas', 'Dutch'],
      ['Kaspar Lind, who goes by “Dutch”, runs the stall.', 'Kaspar Lind', 'Dutch'],
      ['Kaspar Lind, a vendor who calls himself “the Dutch Kid,” sold tickets.', 'Kaspar Lind', 'the Dutch Kid'],
    ];
    for (const [body, person, nick] of cases) {
      const p = parseArticle('Profile\n\n' + body);
      expect(entityNamed(p, person)?.aliases, body).toContain(nick);
      expect(p.quotes.map((q) => q.kind), body).toEqual(['term']);
      expect(entityNamed(p, 'Netherlands'), body).toBeUndefined();
    }
  });

  it('a quoted description after "called himself" is no nickname; a nickname the intro’s gender contradicts has no bearer', () => {
    const p = parseArticle('Profile\n\nIn 1999 the developer Anton Brek called himself “very cautious” about the tower.');
    expect(entityNamed(p, 'Anton Brek')?.aliases ?? []).not.toContain('very cautious');
    const q = parseArticle('Profile\n\nMaria Ruiz said her brother, who calls himself “Dutch”, left town.');
    expect(entityNamed(q, 'Maria Ruiz')?.aliases ?? []).not.toContain('Dutch');
    expect(entityNamed(q, 'Netherlands')).toBeUndefined();
  });

  it('a state or city after "of", "from", "on", in a list of places or after its city is a place, whatever follows', () => {
    const p = parseArticle('Delegates\n\n“We should end it,” said Sen. Dana Whitlow of Oregon, who leads the group. Rep. Carl Ames of North Carolina said he was outraged. The senator from Vermont said the system was broken. Voters in Alabama, Georgia and Virginia said they felt ignored. A rally in Greensboro, North Carolina drew thousands. The Committee on Benghazi said nothing.');
    const persons = p.entities.filter((e) => e.type === 'person').map((e) => e.name);
    expect(persons.sort()).toEqual(['Carl Ames', 'Dana Whitlow']);
    for (const place of ['Oregon', 'North Carolina', 'Vermont', 'Virginia', 'Benghazi']) expect(typeOf(p, place), place).toBe('place');
  });

  it('a possessive place after "said" owns the speaker and is not one', () => {
    const p = parseArticle('Polls\n\n“We face a wipeout,” said Florida’s Rick Amsel, a party consultant.');
    expect(typeOf(p, 'Florida')).toBe('place');
    expect(quoteWith(p, 'wipeout').speaker?.name).toBe('Rick Amsel');
  });

  it('the first word of a multi-word place is no short name of a person ("New" of "New Yorkers")', () => {
    const p = parseArticle('Primary\n\nNew Yorkers went to the polls on Tuesday. Later Dana Whitlow walked the streets of New York with aides.');
    expect(typeOf(p, 'New York')).toBe('place');
  });

  it('runs of capitals without a person’s evidence are not people', () => {
    const p = parseArticle('Budget vote\n\nThe Social Security fund and the Affordable Care Act came up on Super Tuesday, when Muslim Americans and House Republicans voted. Dana Whitlow said so.');
    const persons = p.entities.filter((e) => e.type === 'person').map((e) => e.name);
    expect(persons).toEqual(['Dana Whitlow']);
  });
});
