import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors';
import { TOKENIZER_VERSION, buildTokens, fieldTag, splitToken } from '../../src/search/fields';

describe('fieldTag', () => {
  it('joins the field name and its weight', () => {
    expect([fieldTag('name', 4), fieldTag('notes', 1), fieldTag('custom.vat', 0.5)]).toEqual(['name^4', 'notes^1', 'custom.vat^0.5']);
  });

  it.each([
    ['', 1, ['field']],
    ['a:b', 1, ['field']],
    ['a^b', 1, ['field']],
    ['name', 0, ['weight']],
    ['name', -1, ['weight']],
    ['name', Number.NaN, ['weight']],
  ])('rejects field %j with weight %d as a ValidationError', (field, weight, path) => {
    let caught: unknown;
    try {
      fieldTag(field, weight);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    const error = caught as ValidationError;
    expect([error.code, error.issues[0]?.path, error.issues[0]?.code]).toEqual(['validation_failed', path, 'invalid_search_field']);
  });
});

describe('splitToken', () => {
  it('splits a stored token into tag, weight and token', () => {
    expect(splitToken('name^4:ayse')).toEqual({ tag: 'name^4', weight: 4, token: 'ayse' });
    expect(splitToken('email^2:a@b.co')).toEqual({ tag: 'email^2', weight: 2, token: 'a@b.co' });
    expect(splitToken('phone^2:#7654321')).toEqual({ tag: 'phone^2', weight: 2, token: '#7654321' });
  });
});

describe('buildTokens', () => {
  it('tags every token with its field and weight, field by field', () => {
    expect(
      buildTokens([
        { field: 'name', weight: 4, kind: 'text', values: ['Ayşe Yılmaz'] },
        { field: 'emails', weight: 2, kind: 'email', values: ['ayse@ornek.com.tr'] },
        { field: 'phones', weight: 2, kind: 'phone', values: ['0532 123 45 67'] },
        { field: 'notes', weight: 1, kind: 'text', values: ['Ayşe prefers calls', '北京'] },
      ]),
    ).toEqual([
      'name^4:ayse',
      'name^4:yilmaz',
      'emails^2:ayse@ornek.com.tr',
      'emails^2:ayse',
      'emails^2:ornek.com.tr',
      'emails^2:ornek',
      'emails^2:com',
      'emails^2:tr',
      'phones^2:5321234567',
      'phones^2:#7654321235',
      'notes^1:ayse',
      'notes^1:prefers',
      'notes^1:calls',
      'notes^1:北京',
      'notes^1:京',
    ]);
  });

  it('gives nothing for fields without values', () => {
    expect(buildTokens([{ field: 'name', weight: 4, kind: 'text', values: [] }])).toEqual([]);
  });

  it('throws a ValidationError for a field that cannot be a tag', () => {
    expect(() => buildTokens([{ field: 'a:b', weight: 1, kind: 'text', values: ['x'] }])).toThrow(ValidationError);
  });

  it('has a numeric version to store beside the tokens', () => {
    expect(TOKENIZER_VERSION).toBe(1);
  });
});
