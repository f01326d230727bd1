import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { RawItem } from '../domain/signal.js';
import { SourceFailure } from './source-failure.js';

/**
 * No entity is ever expanded (`processEntities: false`) and a document declaring its own
 * entities is refused outright: billion-laughs and external entities cannot do anything here.
 */
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => name === 'item' || name === 'entry' || name === 'link',
});

const ENTITY_DECLARATION = /<!ENTITY/i;

type Node = Record<string, unknown>;

const textOf = (value: unknown): string | undefined => {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && '#text' in value)
    return String((value as Node)['#text']);
  return undefined;
};

/** The href of an Atom entry's `alternate` link (or its first), or an RSS item's link text. */
function linkOf(links: unknown): string | undefined {
  if (!Array.isArray(links)) return undefined;
  const typed = links as unknown[];
  const alternate =
    typed.find((l) => typeof l === 'object' && l && (l as Node)['@rel'] === 'alternate') ??
    typed[0];
  if (typeof alternate === 'string') return alternate;
  if (alternate && typeof alternate === 'object')
    return ((alternate as Node)['@href'] as string | undefined) ?? textOf(alternate);
  return undefined;
}

/**
 * The items of an RSS 2.0 or Atom feed. Throws `xml_entities_refused` for a document declaring
 * entities, `invalid_xml` (with the parser's line and reason) for malformed XML and `not_a_feed`
 * for well-formed XML that is neither RSS nor Atom.
 */
export function parseFeed(xml: string): RawItem[] {
  if (ENTITY_DECLARATION.test(xml))
    throw new SourceFailure(
      'xml_entities_refused',
      'the document declares XML entities; feeds need none and they are never expanded',
    );
  const valid = XMLValidator.validate(xml);
  if (valid !== true)
    throw new SourceFailure(
      'invalid_xml',
      `invalid XML at line ${valid.err.line}: ${valid.err.msg}`,
    );
  const document = parser.parse(xml) as Node;
  const rss = (document.rss as Node | undefined)?.channel as Node | undefined;
  if (rss) {
    return ((rss.item as Node[] | undefined) ?? []).map((item) => ({
      title: textOf(item.title),
      text: textOf(item.description) ?? textOf(item['content:encoded']),
      url: linkOf(item.link) ?? textOf(item.guid),
      publishedAt: textOf(item.pubDate) ?? textOf(item['dc:date']),
    }));
  }
  const feed = document.feed as Node | undefined;
  if (feed) {
    return ((feed.entry as Node[] | undefined) ?? []).map((entry) => ({
      title: textOf(entry.title),
      text: textOf(entry.summary) ?? textOf(entry.content),
      url: linkOf(entry.link),
      publishedAt: textOf(entry.published) ?? textOf(entry.updated),
    }));
  }
  throw new SourceFailure('not_a_feed', 'the document is neither an RSS channel nor an Atom feed');
}
