import { describe, expect, it } from 'vitest';
import { catalog } from '../../../services/catalog.js';
import { canarySplit } from './canary-split.js';

const production = catalog['aia-api'].scaling.production;
const staging = catalog['aia-api'].scaling.staging;

describe('the replica ratio of a canary', () => {
  it('gives the canary steps their exact share within production bounds', () => {
    // Two pods per colour at least (the production HPA policy): 10 % is 2 of 20.
    expect(canarySplit(10, production)).toEqual({ canary: 2, stable: 18, percent: 10 });
    expect(canarySplit(25, production)).toEqual({ canary: 2, stable: 6, percent: 25 });
    expect(canarySplit(50, production)).toEqual({ canary: 2, stable: 2, percent: 50 });
    expect(canarySplit(90, production)).toEqual({ canary: 18, stable: 2, percent: 90 });
    expect(canarySplit(5, production)).toEqual({ canary: 2, stable: 18, percent: 10 });
  });

  it('reports the coarser share staging can give, with one pod of each colour at least', () => {
    expect(canarySplit(10, staging)).toEqual({ canary: 1, stable: 2, percent: 33 });
    expect(canarySplit(50, staging)).toEqual({ canary: 1, stable: 1, percent: 50 });
  });

  it('refuses bounds that cannot hold the least pods of each colour', () => {
    expect(() => canarySplit(10, { minReplicas: 1, maxReplicas: 1 })).toThrow(
      'a canary needs 2 pods at least (1 per colour), and maxReplicas is 1',
    );
    expect(() => canarySplit(10, { minReplicas: 3, maxReplicas: 3 })).toThrow(
      'a canary needs 4 pods at least (2 per colour), and maxReplicas is 3',
    );
  });
});
