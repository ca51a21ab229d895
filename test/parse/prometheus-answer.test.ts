// Tests reading Prometheus API answers: vectors, matrices, label values, server errors, odd input, control characters.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cleanLabel,
  MAX_LABEL_VALUES,
  parseLabelValuesAnswer,
  parseMatrixAnswer,
  parseVectorAnswer,
} from '../../src/parse/prometheus-answer.js';

describe('Prometheus answers', () => {
  it('reads an instant vector, NaN and +Inf included', () => {
    const body = JSON.stringify({
      status: 'success',
      data: {
        resultType: 'vector',
        result: [
          { metric: { instance: 'a', order: '6' }, value: [1700000000.5, '42'] },
          { metric: { instance: 'b' }, value: [1700000000.5, 'NaN'] },
          { metric: { instance: 'c' }, value: [1700000000.5, '+Inf'] },
        ],
      },
    });
    const { value, problems } = parseVectorAnswer(body);
    expect(problems).toEqual([]);
    expect(value.ok && value.data.map((s) => [s.labels['instance'], s.value])).toEqual([
      ['a', 42],
      ['b', NaN],
      ['c', Infinity],
    ]);
  });

  it('reads a range matrix and reports odd points', () => {
    const body = JSON.stringify({
      status: 'success',
      data: {
        resultType: 'matrix',
        result: [
          {
            metric: { instance: 'a' },
            values: [
              [1, '3'],
              [2, 'x'],
              [3, '5'],
            ],
          },
        ],
      },
    });
    const { value, problems } = parseMatrixAnswer(body, 'trend');
    expect(value.ok && value.data[0]!.points).toEqual([
      [1, 3],
      [3, 5],
    ]);
    expect(problems).toEqual([{ file: 'trend', line: 1, message: '1 odd points skipped' }]);
  });

  it("says the server's error, and what is wrong with an answer that is not one", () => {
    const error = JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'parse error at char 5' });
    expect(parseVectorAnswer(error).value).toEqual({ ok: false, error: 'bad_data: parse error at char 5' });
    expect(parseVectorAnswer('<html>proxy</html>').value).toEqual({
      ok: false,
      error: 'not JSON: <html>proxy</html>',
    });
    const matrix = JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [] } });
    expect(parseVectorAnswer(matrix).value).toEqual({
      ok: false,
      error: 'expected a vector answer, got matrix',
    });
  });

  it('strips control characters from label values and cuts long ones', () => {
    expect(cleanLabel('node\u001b[31m-1\n')).toBe('node?[31m-1?');
    expect(cleanLabel('x'.repeat(500))).toHaveLength(200);
  });

  it('never throws, whatever the body', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (body) => {
        parseVectorAnswer(body);
        parseMatrixAnswer(body);
      }),
    );
  });

  it("reads label values, cleaned and bounded, and the server's error", () => {
    const values = parseLabelValuesAnswer(
      JSON.stringify({ status: 'success', data: ['0', '10', 'a\u001b[31m', 7] }),
    );
    expect(values.value).toEqual({ ok: true, data: ['0', '10', 'a?[31m'], warnings: [] });
    const many = parseLabelValuesAnswer(
      JSON.stringify({ status: 'success', data: Array.from({ length: 5000 }, (_, i) => String(i)) }),
    );
    expect(many.value.ok && many.value.data.length).toBe(MAX_LABEL_VALUES);
    expect(
      parseLabelValuesAnswer(JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'invalid' }))
        .value,
    ).toEqual({ ok: false, error: 'bad_data: invalid' });
    expect(parseLabelValuesAnswer('<html>').value.ok).toBe(false);
    expect(parseLabelValuesAnswer(JSON.stringify({ status: 'success', data: {} })).value.ok).toBe(false);
  });
});
