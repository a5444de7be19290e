import { describe, expect, it } from 'vitest';
import { MAX_PRETTY_XML_CHARS, MAX_XML_INDENT_DEPTH, looksLikeXml, viewXml } from './xml.ts';

describe('viewXml', () => {
  it('pretty-prints declarations, comments, CDATA and attributes with > in quotes', () => {
    const v = viewXml('<?xml version="1.0"?><a x="1>2"><!-- c --><b><![CDATA[<raw>]]></b><c/>text</a>');
    expect(v.wellFormed).toBe(true);
    expect(v.pretty).toBe([
      '<?xml version="1.0"?>', '<a x="1>2">', '  <!-- c -->', '  <b>', '    <![CDATA[<raw>]]>', '  </b>', '  <c/>', '  text', '</a>',
    ].join('\n'));
  });

  it('reports every kind of breakage without throwing', () => {
    expect(viewXml('<a><b></a>').problems).toEqual(['<b> closed by </a>']);
    expect(viewXml('<a></b></a>').problems).toEqual(['unexpected closing tag </b>']);
    expect(viewXml('<a><b>').problems).toEqual(['unclosed <a>, <b>']);
    expect(viewXml('<a').problems).toEqual(['unterminated tag at offset 0', 'no root element']);
    expect(viewXml('<a><!-- x').problems).toEqual(['unterminated comment at offset 3', 'unclosed <a>']);
    expect(viewXml('<1a></1a>').problems[0]).toContain('invalid tag name');
    expect(viewXml('hello').problems).toEqual(['text outside the root element', 'no root element']);
    expect(viewXml('').wellFormed).toBe(false);
  });

  it('caps indentation depth and document size', () => {
    const deep = '<a>'.repeat(100) + '</a>'.repeat(100);
    const v = viewXml(deep);
    expect(v.wellFormed).toBe(true);
    const widest = Math.max(...v.pretty.split('\n').map((l) => l.length - l.trimStart().length));
    expect(widest).toBe(MAX_XML_INDENT_DEPTH * 2);
    const huge = `<a>${'x'.repeat(MAX_PRETTY_XML_CHARS)}</a>`;
    expect(viewXml(huge)).toMatchObject({ pretty: huge, wellFormed: false });
  });

  it('stays linear and bounded on hostile nesting', () => {
    const hostile = '<a>'.repeat(100_000) + '</b>'.repeat(100_000);
    const v = viewXml(hostile);
    expect(v.wellFormed).toBe(false);
    expect(v.problems).toHaveLength(22);
    expect(v.problems[20]).toMatch(/^\.\.\. \d+ more problems$/);
    expect(v.problems).toContain('unclosed <a>, <a>, <a>, <a>, <a>, <a>, <a>, <a>, <a>, <a> and 99990 more');
  });

  it('sniffs XML', () => {
    expect(looksLikeXml('\uFEFF  <ml l="1">')).toBe(true);
    expect(looksLikeXml('<?xml version="1.0"?>')).toBe(true);
    expect(looksLikeXml('<3 you')).toBe(false);
    expect(looksLikeXml('MIME-Version: 1.0')).toBe(false);
  });
});
