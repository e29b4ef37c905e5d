import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  isMarker,
  parseLossless,
  protectLargeNumbers,
  readString,
  splitSchemaPayload,
  toJsonText,
} from '../../../connectors/debezium/json-text.ts';
import { createDecoder } from '../../../connectors/debezium/index.ts';
import { ID, envelopeRecord, raw } from './build.ts';

describe('lossless numbers (protectLargeNumbers)', () => {
  test('integers of 16+ digits outside strings become markers, shorter ones stay numbers', () => {
    const out = parseLossless('{"a":9007199254740993,"b":-9223372036854775808,"c":123456789012345,"d":1.5,"e":[1234567890123456]}') as Record<string, unknown>;
    assert.equal(out.a, '\u00009007199254740993');
    assert.equal(out.b, '\u0000-9223372036854775808');
    assert.equal(out.c, 123456789012345);
    assert.equal(out.d, 1.5);
    assert.deepEqual(out.e, ['\u00001234567890123456']);
    assert.ok(isMarker(out.a));
  });

  test('a fraction or exponent with many digits is kept as text too (decimal.format=NUMERIC)', () => {
    const out = parseLossless('[12345678901234567890.123456789012345678,1.2345678901234567E+30,0.1]') as unknown[];
    assert.deepEqual(out, ['\u000012345678901234567890.123456789012345678', '\u00001.2345678901234567E+30', 0.1]);
  });

  const tricky = [
    'plain 12345678901234567890 digits',
    'quote \\" then 12345678901234567890',
    'backslash at end \\\\',
    '\\\\\\" is not the end: 98765432109876543210, 12345678901234567890',
    'unicode \\u0041 and 1234567890123456789',
    '',
    '12345678901234567890',
    '{\\"nested\\":12345678901234567890}',
  ];
  for (const s of tricky) {
    test(`string literal is never altered: "${s}"`, () => {
      const text = `{"k":"${s}","n":12345678901234567890,"m":"${s}"}`;
      const parsed = parseLossless(text) as Record<string, unknown>;
      const expected = JSON.parse(`"${s}"`) as string;
      assert.equal(parsed.k, expected);
      assert.equal(parsed.m, expected);
      assert.equal(parsed.n, '\u000012345678901234567890');
      // and the rewrite only touched the number token
      assert.equal(protectLargeNumbers(text), text.replace(',"n":12345678901234567890,', ',"n":"\\u000012345678901234567890",'));
    });
  }

  test('a genuine string that starts with U+0000 can never pass for a marker', () => {
    const parsed = parseLossless('{"s":"\\u00001234567890123456789","t":"\\u0000","\\u0000key":1}') as Record<string, unknown>;
    assert.equal(isMarker(parsed.s), false);
    assert.equal(readString(parsed.s), '\u00001234567890123456789');
    assert.equal(readString(parsed.t), '\u0000');
    assert.equal(parsed['\u0000key'], 1, 'object keys are left alone');
    assert.equal(toJsonText(parsed), '{"s":"\\u00001234567890123456789","t":"\\u0000","\\u0000key":1}');
  });

  test('text without long numbers is returned as is', () => {
    const text = '{"a":"x","b":[1,2,3],"c":null,"d":true}';
    assert.equal(protectLargeNumbers(text), text);
  });

  test('invalid JSON stays invalid', () => {
    assert.throws(() => parseLossless('{"a":12345678901234567890'), SyntaxError);
    assert.throws(() => parseLossless('{"a":"unterminated 12345678901234567890}'), SyntaxError);
  });

  test('decoded string columns keep digits, quotes and escapes exactly', () => {
    const values = ['12345678901234567890', 'say "12345678901234567890"', 'C:\\path\\1234567890123456', '\u0000' + '1234567890123456'];
    for (const v of values) {
      const d = createDecoder().decode(
        envelopeRecord({ columns: [ID, { type: 'string', field: 's' }, { type: 'int64', field: 'n' }], op: 'c', after: { id: 1, s: v, n: raw('12345678901234567890'.slice(0, 19)) } }),
      );
      assert.equal(d.kind, 'change');
      if (d.kind === 'change') {
        assert.equal(d.event.row?.s, v);
        assert.equal(d.event.row?.n, 1234567890123456789n);
      }
    }
  });
});

describe('splitSchemaPayload', () => {
  test('finds schema and payload of the compact layout', () => {
    const text = '{"schema":{"type":"struct","fields":[{"type":"string","field":"a}\\"{"}]},"payload":{"a":"}"}}';
    const split = splitSchemaPayload(text);
    assert.ok(split);
    assert.equal(split.schemaText, '{"type":"struct","fields":[{"type":"string","field":"a}\\"{"}]}');
    assert.equal(split.payloadText, '{"a":"}"}');
    assert.equal(text.slice(0, split.prefixLength), `{"schema":${split.schemaText},"payload":`);
  });
  test('null schema and null payload', () => {
    assert.deepEqual(splitSchemaPayload('{"schema":null,"payload":null}'), { prefixLength: 25, schemaText: 'null', payloadText: 'null' });
  });
  test('other layouts are not split (the caller falls back to a full parse)', () => {
    assert.equal(splitSchemaPayload('{"payload":{},"schema":{}}'), null);
    assert.equal(splitSchemaPayload('{ "schema": {}, "payload": {} }'), null);
    assert.equal(splitSchemaPayload('{"schema":{"type":"x"'), null);
    assert.equal(splitSchemaPayload('{"id":1}'), null);
  });
});

describe('toJsonText', () => {
  test('writes markers back as exact numbers', () => {
    assert.equal(toJsonText(parseLossless('{"a":[9223372036854775807,1.5,"x\\"y"],"b":{"c":null}}')), '{"a":[9223372036854775807,1.5,"x\\"y"],"b":{"c":null}}');
  });
});
