import { erfc, halfWidth, normalCdf, twoProportionZTest, twoSidedPValue, wilson } from '../../../src/analysis/stats';
import { needsMoreSamples } from '../../../src/analysis/sampling';

// Reference values: Python's math.erfc (the C library's erfc, accurate to ~1 ulp), e.g.
// p = erfc(|z| / sqrt(2)); and for the z-tests, the textbook pooled formula
// z = (p2 − p1) / sqrt(p(1 − p)(1/n1 + 1/n2)) evaluated in Python from the same counts.
describe('normal distribution', () => {
  it.each([
    [0, 1],
    [0.5, 0.4795001221869535],
    [1, 0.15729920705028513],
    [2, 0.004677734981047266],
    [-1, 1.8427007929497148],
  ])('erfc(%p) matches the reference', (x, expected) => {
    expect(erfc(x)).toBeCloseTo(expected, 6);
  });

  it('puts 97.5 % of the mass below 1.959964', () => {
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(-1.959964)).toBeCloseTo(0.025, 6);
  });

  it.each([
    [1.959964, 0.05],
    [2.575829, 0.01],
    [3.290527, 0.001],
    [1, 0.31731050786291415],
    [0.5, 0.6170750774519738],
  ])('two-sided p-value of z = %p is %p', (z, p) => {
    expect(twoSidedPValue(z)).toBeCloseTo(p, 4);
    expect(twoSidedPValue(-z)).toBeCloseTo(p, 4);
  });

  it('never gives a probability above 1', () => {
    expect(twoSidedPValue(0)).toBe(1);
    expect(normalCdf(40)).toBe(1);
  });

  it('keeps relative precision far in the tail (z = 6 → 1.973e-9)', () => {
    expect(twoSidedPValue(6) / 1.9731752900754024e-9).toBeCloseTo(1, 5);
  });
});

describe('wilson', () => {
  it('gives [0.2366, 0.7634] for 5/10', () => {
    const p = wilson(5, 10);
    expect(p.rate).toBe(0.5);
    expect(p.low).toBeCloseTo(0.2366, 4);
    expect(p.high).toBeCloseTo(0.7634, 4);
  });

  it('gives [0, 0.2775] for 0/10 and [0.7225, 1] for 10/10', () => {
    expect(wilson(0, 10).low).toBe(0);
    expect(wilson(0, 10).high).toBeCloseTo(0.2775, 4);
    expect(wilson(10, 10).low).toBeCloseTo(0.7225, 4);
    expect(wilson(10, 10).high).toBe(1);
  });

  it('is ±0.26 at p = 0.5 with 10 answers and ±0.15 with 40', () => {
    expect(halfWidth(wilson(5, 10))).toBeCloseTo(0.26, 2);
    expect(halfWidth(wilson(20, 40))).toBeCloseTo(0.15, 2);
  });

  it('has no rate or interval without trials', () => {
    expect(wilson(0, 0)).toEqual({ successes: 0, trials: 0, rate: null, low: null, high: null });
    expect(halfWidth(wilson(0, 0))).toBeNull();
  });

  it('rejects impossible counts', () => {
    expect(() => wilson(3, 2)).toThrow(RangeError);
    expect(() => wilson(-1, 2)).toThrow(RangeError);
    expect(() => wilson(0.5, 2)).toThrow(RangeError);
  });
});

describe('twoProportionZTest', () => {
  it.each([
    // previous x/n, current x/n, z, two-sided p
    [30, 50, 20, 50, -2, 0.0455003],
    [45, 100, 60, 100, 2.123977, 0.0336721],
    [40, 100, 44, 100, 0.5730683, 0.5665985],
    [10, 20, 18, 20, 2.7602622, 0.0057755],
    [2, 40, 12, 40, 2.9424494, 0.0032563],
    [1, 10, 2, 10, 0.6262243, 0.5311678],
  ])('%p/%p → %p/%p gives z = %p, p = %p', (x1, n1, x2, n2, z, p) => {
    const test = twoProportionZTest(wilson(x1, n1), wilson(x2, n2));
    expect(test?.z).toBeCloseTo(z, 5);
    expect(test?.pValue).toBeCloseTo(p, 5);
  });

  it('cannot test a side without trials', () => {
    expect(twoProportionZTest(wilson(0, 0), wilson(3, 10))).toBeNull();
  });

  it('calls two identical extreme rates no change instead of dividing 0 by 0', () => {
    expect(twoProportionZTest(wilson(0, 10), wilson(0, 30))).toEqual({ z: 0, pValue: 1 });
    expect(twoProportionZTest(wilson(10, 10), wilson(30, 30))).toEqual({ z: 0, pValue: 1 });
  });
});

describe('needsMoreSamples', () => {
  it('keeps sampling until the interval is narrower than the target', () => {
    expect(needsMoreSamples(wilson(0, 0), 0.15)).toBe(true);
    expect(needsMoreSamples(wilson(5, 10), 0.15)).toBe(true);
    expect(needsMoreSamples(wilson(20, 40), 0.15)).toBe(false);
    expect(needsMoreSamples(wilson(20, 40), 0.1)).toBe(true);
  });

  it('stops sooner when the rate is extreme, as the interval is narrower there', () => {
    expect(needsMoreSamples(wilson(0, 12), 0.15)).toBe(false);
    expect(needsMoreSamples(wilson(6, 12), 0.15)).toBe(true);
  });

  it('refuses a target it could never reach', () => {
    expect(() => needsMoreSamples(wilson(1, 2), 0)).toThrow(RangeError);
    expect(() => needsMoreSamples(wilson(1, 2), Number.NaN)).toThrow(RangeError);
  });
});
