import { describe, expect, it } from 'vitest';
import { catalog } from '../../../services/catalog.js';
import { canarySplit } from './canary-split.js';

const production = catalog['aia-api'].scaling.production;
const staging = catalog['aia-api'].scaling.staging;

describe('the replica ratio of a canary', () => {
  it('gives the canary steps their exact share within production bounds', () => {
    expect(canarySplit(10, production)).toEqual({ canary: 1, stable: 9, percent: 10 });
    expect(canarySplit(25, production)).toEqual({ canary: 1, stable: 3, percent: 25 });
    // Two pods would do, but production keeps three at least.
    expect(canarySplit(50, production)).toEqual({ canary: 2, stable: 2, percent: 50 });
    expect(canarySplit(90, production)).toEqual({ canary: 9, stable: 1, percent: 90 });
  });

  it('reports the coarser share staging can give, with one pod of each colour at least', () => {
    expect(canarySplit(10, staging)).toEqual({ canary: 1, stable: 2, percent: 33 });
    expect(canarySplit(50, staging)).toEqual({ canary: 1, stable: 1, percent: 50 });
  });

  it('refuses bounds that cannot hold a pod of each colour', () => {
    expect(() => canarySplit(10, { minReplicas: 1, maxReplicas: 1 })).toThrow(
      'a canary needs two pods at least (one per colour), and maxReplicas is 1',
    );
  });
});
