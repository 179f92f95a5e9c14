import { describe, expect, it } from 'vitest';
import { PromptFileError } from '../../src/engine/errors.js';
import { parsePromptFile, renderPromptTemplate, renderTemplate, templatePlaceholders } from '../../src/rules/index.js';

describe('renderTemplate', () => {
  it('replaces placeholders, with or without spaces, repeated', () => {
    expect(renderTemplate('Make {{rows}} rows of {{ kind }}; {{rows}} again', { rows: 5, kind: 'books' })).toBe('Make 5 rows of books; 5 again');
    expect(renderTemplate('flag={{f}} list={{l}}', { f: false, l: ['a', 1] })).toBe('flag=false list=["a",1]');
    expect(renderTemplate('no placeholders, {single} braces', {})).toBe('no placeholders, {single} braces');
  });

  it('lists the placeholders a template uses', () => {
    expect(templatePlaceholders('{{a}} {{ b }} {{a}} {{c.d}}')).toEqual(['a', 'b', 'c.d']);
  });

  it('names every placeholder without a value, with the closest known one', () => {
    let err: PromptFileError | undefined;
    try {
      renderTemplate('Make {{rowz}} rows of {{kind}} in {{lang}}', { rows: 3, kind: 'x', lang: undefined });
    } catch (e) {
      err = e as PromptFileError;
    }
    expect(err).toBeInstanceOf(PromptFileError);
    expect(err!.what).toBe('The template uses {{rowz}}, {{lang}}, which have no value.');
    expect(err!.why).toBe('The values available are: rows, kind.');
    expect(err!.fix).toContain('{{rowz}} -> did you mean {{rows}}?');
  });

  it('points at the template line of a prompt file', () => {
    const prompt = parsePromptFile('/tmp/p/tpl.yaml', 'prompt_id: tpl\ndomain: x\n\ntemplate: |\n  Make {{rows}} {{thing}}\n');
    expect(() => renderPromptTemplate(prompt, { rows: 1 })).toThrow(PromptFileError);
    try {
      renderPromptTemplate(prompt, { rows: 1 });
    } catch (e) {
      expect((e as PromptFileError).what).toContain('{{thing}}');
      expect((e as PromptFileError).file).toBe('/tmp/p/tpl.yaml');
      expect((e as PromptFileError).line).toBe(4);
    }
  });
});
