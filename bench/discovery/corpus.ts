import type { Signal } from '../../services/venture-discovery/domain/signal.js';

/**
 * The labelled corpus of `npm run bench -- discovery` and of the quality test: signals about
 * twelve themes, written so that a person can say which are opportunities. Six are (`expected`):
 * talked about more and more lately, by several independent sources, with few players named.
 * Six are not, though four of them are mentioned more often: old news, crowded with named
 * companies and funding rounds, or one source repeating itself. Noise items mention nothing twice.
 * Everything is fixed: the same corpus every run.
 */
export interface LabelledTheme {
  /** Words a discovered theme must contain (all of them) to be this theme. */
  readonly words: readonly string[];
  readonly expected: boolean;
  readonly headlines: readonly string[];
  /** Details appended to headlines in turn, so no two signals are the same text. */
  readonly details: readonly string[];
  readonly sources: readonly string[];
  /** How many signals, and how old they are (days before `CORPUS_NOW`): from `newest` to `oldest`. */
  readonly count: number;
  readonly newest: number;
  readonly oldest: number;
}

/** The corpus's "now": every signal is dated before it. */
export const CORPUS_NOW = new Date('2026-11-30T12:00:00.000Z');
/** The window the corpus spans. */
export const CORPUS_WINDOW_DAYS = 30;

export const CORPUS_THEMES: readonly LabelledTheme[] = [
  {
    words: ['bookkeeping'],
    expected: true,
    headlines: [
      'Small firms ask for automated bookkeeping that reconciles receipts',
      'Freelancers want bookkeeping automation for invoices and receipts',
      'Automated bookkeeping demand rises among sole traders',
      'Accountants report backlog as small firms seek bookkeeping automation',
    ],
    details: ['survey of owners', 'tax season pressure', 'spreadsheet fatigue', 'late filings'],
    sources: ['Smallbiz Wire', 'Accounting Today Feed', 'Founder Forum'],
    count: 9,
    newest: 1,
    oldest: 12,
  },
  {
    words: ['heat', 'pump'],
    expected: true,
    headlines: [
      'Homeowners struggle to find installers for heat pump retrofits',
      'Heat pump retrofit quotes take weeks, homeowners say',
      'Heat pump installers booked out as retrofit grants open',
      'Councils look for heat pump retrofit planning help',
    ],
    details: ['grant rules', 'winter demand', 'permit delays', 'installer shortage'],
    sources: ['Energy Desk', 'Home Owners Digest', 'Council Bulletin'],
    count: 8,
    newest: 2,
    oldest: 13,
  },
  {
    words: ['pet', 'telehealth'],
    expected: true,
    headlines: [
      'Pet owners try telehealth visits for minor vet questions',
      'Vets see pet telehealth requests climb after hours',
      'Pet telehealth triage could ease clinic queues',
      'Rural pet owners ask about telehealth for animals',
    ],
    details: ['night calls', 'rural clinics', 'triage notes', 'follow-up care'],
    sources: ['Vet Practice News', 'Pet Parents Blog', 'Rural Health Feed'],
    count: 7,
    newest: 1,
    oldest: 10,
  },
  {
    words: ['battery', 'recycling'],
    expected: true,
    headlines: [
      'Scooter fleets look for local battery recycling options',
      'Battery recycling collection points wanted by repair shops',
      'E-bike owners ask where battery recycling is possible',
      'Municipal battery recycling pilots oversubscribed',
    ],
    details: ['lithium cells', 'collection logistics', 'repair shops', 'fire risk'],
    sources: ['Mobility Weekly', 'Green Cities Feed', 'Repair Cafe Notes'],
    count: 8,
    newest: 0,
    oldest: 14,
  },
  {
    words: ['crop', 'drone'],
    expected: true,
    headlines: [
      'Growers test crop scouting drones for early disease spotting',
      'Crop drone scouting services wanted by mid-size farms',
      'Agronomists pair crop scouting with drone imagery',
      'Cooperatives ask for shared crop drone scouting',
    ],
    details: ['leaf blight', 'field maps', 'harvest planning', 'spray timing'],
    sources: ['Farm Journal Feed', 'Agronomy Notes', 'Co-op Newsletter'],
    count: 7,
    newest: 2,
    oldest: 11,
  },
  {
    words: ['caregiver', 'scheduling'],
    expected: true,
    headlines: [
      'Families juggle caregiver scheduling for ageing parents',
      'Home care agencies want simpler caregiver scheduling',
      'Caregiver scheduling gaps leave elderly clients waiting',
      'Caregiver shift scheduling still done on paper, agencies admit',
    ],
    details: ['weekend shifts', 'missed visits', 'family calendars', 'agency rota'],
    sources: ['Care Sector Review', 'Ageing Well Feed', 'Family Matters Blog'],
    count: 7,
    newest: 1,
    oldest: 12,
  },
  {
    words: ['crypto', 'exchange'],
    expected: false,
    headlines: [
      'Binance Global and Coinbase Inc rivals crowd the crypto exchange market',
      'Kraken Labs raises funding as crypto exchange competitors multiply',
      'Crypto exchange consolidation: Gemini Trust acquires rival',
      'Another crypto exchange enters a saturated field led by Coinbase Inc',
    ],
    details: ['fee war', 'listing race', 'market leader', 'incumbent pressure'],
    sources: ['Coin Desk Feed', 'Crypto Daily'],
    count: 14,
    newest: 17,
    oldest: 29,
  },
  {
    words: ['food', 'delivery'],
    expected: false,
    headlines: [
      'Food delivery rivals Uber Eats and Door Dash Inc cut fees again',
      'Food delivery market saturated as Deliveroo Group competitors merge',
      'Just Eat Takeaway acquires food delivery rival',
      'Food delivery startup raises funding to fight incumbents Door Dash Inc',
    ],
    details: ['courier pay', 'fee cuts', 'market share', 'dominant players'],
    sources: ['Retail Tech Feed', 'Delivery Insider'],
    count: 13,
    newest: 16,
    oldest: 29,
  },
  {
    words: ['social', 'media'],
    expected: false,
    headlines: [
      'Yet another social media app takes on Meta Platforms and Snap Inc',
      'Social media newcomer raises funding against dominant incumbents',
      'Social media market crowded, says rival founder at Tik Tok Ltd',
      'Social media giant Meta Platforms acquires competitor',
    ],
    details: ['ad revenue', 'creator payouts', 'user growth', 'market leaders'],
    sources: ['Tech Gossip Feed'],
    count: 12,
    newest: 18,
    oldest: 29,
  },
  {
    words: ['ride', 'hailing'],
    expected: false,
    headlines: [
      'Ride hailing price war between Uber Technologies and Lyft Inc',
      'Ride hailing competitors Bolt Group and Lyft Inc slash fares',
      'Ride hailing incumbents dominate as rival exits market',
      'Ride hailing consolidation continues, Grab Holdings acquires rival',
    ],
    details: ['driver bonuses', 'fare cuts', 'market share', 'regulation'],
    sources: ['Mobility Weekly', 'City Transport Feed'],
    count: 11,
    newest: 18,
    oldest: 28,
  },
  {
    words: ['smart', 'speaker'],
    expected: false,
    headlines: [
      'Smart speaker sales flat as Amazon Echo and Google Nest dominate',
      'Smart speaker market led by incumbents Apple Inc and Amazon Echo',
    ],
    details: ['holiday deals', 'voice apps', 'price cuts'],
    sources: ['Gadget Feed'],
    count: 5,
    newest: 20,
    oldest: 27,
  },
  {
    words: ['nft', 'marketplace'],
    expected: false,
    headlines: [
      'NFT marketplace volumes fall as Open Sea Inc rivals fight for traders',
      'NFT marketplace competitors Magic Eden Labs and Blur Labs cut fees',
    ],
    details: ['royalties', 'wash trading', 'volume drop'],
    sources: ['Crypto Daily'],
    count: 5,
    newest: 22,
    oldest: 29,
  },
];

/** Items about nothing else in the corpus: each should stay out of every theme. */
const NOISE = [
  'Local library extends opening hours for the summer',
  'Marathon route changes announced for the city centre',
  'Museum opens an exhibition of medieval maps',
  'Weather service expects a mild and dry weekend',
  'Chess club celebrates its centenary with a tournament',
  'Orchestra returns to the concert hall after renovation',
];

const DAY_MS = 86_400_000;

/**
 * The corpus's signals, ids `c-<theme>-<n>` and `noise-<n>`: each theme's headlines and details in
 * turn, its sources in turn, dated evenly from its `newest` to its `oldest` day.
 */
export function corpusSignals(): Signal[] {
  const signals: Signal[] = [];
  CORPUS_THEMES.forEach((theme, t) => {
    for (let i = 0; i < theme.count; i += 1) {
      const headline = theme.headlines[i % theme.headlines.length] as string;
      const detail = theme.details[i % theme.details.length] as string;
      const source = theme.sources[i % theme.sources.length] as string;
      const age = theme.newest + ((theme.oldest - theme.newest) * i) / Math.max(1, theme.count - 1);
      signals.push({
        id: `c-${String(t).padStart(2, '0')}-${String(i).padStart(2, '0')}`,
        sourceId: `source:${source}`,
        sourceName: source,
        title: headline,
        // Reference numbers make each item its own text: a headline repeated with another
        // detail is another report, not a copy (copies are what near-duplicate removal drops).
        body: `${headline}: ${detail}. Case ${100 + i * 37} filed ${2 + (i % 9)} 11 2026, ticket ${5000 + t * 100 + i}.`,
        url: `https://example.org/${t}/${i}`,
        publishedAt: new Date(CORPUS_NOW.getTime() - age * DAY_MS),
      });
    }
  });
  NOISE.forEach((title, n) => {
    signals.push({
      id: `noise-${n}`,
      sourceId: 'source:noise',
      sourceName: 'General News',
      title,
      body: title,
      url: `https://example.org/noise/${n}`,
      publishedAt: new Date(CORPUS_NOW.getTime() - (n + 3) * DAY_MS),
    });
  });
  return signals;
}
