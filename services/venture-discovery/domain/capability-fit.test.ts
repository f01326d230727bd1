import { describe, expect, it } from 'vitest';
import { capabilityFit, capabilityOf } from './capability-fit.js';

const capabilities = {
  entries: [
    capabilityOf('tool', { name: 'Invoice reader', description: 'Reads invoices', tags: [] }),
    capabilityOf('skill', {
      name: 'Supplier payments',
      description: 'Pays supplier invoices',
      tags: ['finance'],
    }),
    capabilityOf('skill', { name: 'Translation', description: 'Any language', tags: [] }),
  ],
};

describe('capability fit', () => {
  it('is twice the share of theme words a skill or tool has, naming the best matches first', () => {
    const fit = capabilityFit(['invoice automation', 'supplier', 'bakery', 'small'], capabilities);
    // Theme words: invoice, automation, supplier, bakery, small; invoice and supplier match.
    expect(fit.value).toBeCloseTo(0.8, 6);
    expect(fit.matchedWords).toEqual(['invoice', 'supplier']);
    expect(fit.matchedCapabilities.map((c) => c.name)).toEqual([
      'Supplier payments',
      'Invoice reader',
    ]);
    expect(fit.explanation).toBe(
      `2 of 5 theme words (invoice, supplier) match the platform's skill "Supplier payments", tool "Invoice reader"`,
    );
  });

  it('caps at 1, is 0 without a match, and says when the graph lists nothing', () => {
    expect(capabilityFit(['supplier invoice', 'bakery'], capabilities).value).toBe(1);
    const none = capabilityFit(['heat pump'], capabilities);
    expect(none).toMatchObject({ value: 0, matchedCapabilities: [] });
    expect(none.explanation).toBe("no theme word matches any of the platform's 3 skills and tools");
    expect(capabilityFit(['heat pump'], { entries: [] }).explanation).toBe(
      'the knowledge graph lists no skills or tools yet',
    );
  });
});
