import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { Markdown, safeHref } from './Markdown';

// The rendered message, without the wrapper element.
const html = (text: string, names: string[] = []) =>
  renderToStaticMarkup(<Markdown text={text} memberNames={names} />).replace(/^<div class="md">|<\/div>$/g, '');

describe('Markdown in messages', () => {
  it('renders the subset: bold, italic, nested emphasis, strike, code, blocks, quotes, lists', () => {
    expect(html('**bold *and italic* here**')).toContain('<strong>bold <em>and italic</em> here</strong>');
    expect(html('_a **b ~~c~~**_')).toContain('<em>a <strong>b <del>c</del></strong></em>');
    expect(html('use `x < 1`')).toContain('<code>x &lt; 1</code>');
    expect(html('```\nfn main() {}\n```')).toContain('<pre><code>fn main() {}</code></pre>');
    expect(html('> quoted')).toContain('<blockquote><p>quoted</p></blockquote>');
    expect(html('- one\n- two')).toContain('<ul><li>one</li><li>two</li></ul>');
    expect(html('1. one\n2. two')).toContain('<ol');
    expect(html('line one\nline two')).toContain('line one<br/>line two');
  });

  it('never produces HTML from the message: tags and handlers are text', () => {
    for (const payload of [
      '<img src=x onerror=alert(1)>',
      '<script>alert(1)</script>',
      '<div onclick="alert(1)">x</div>',
      '**<img src=x onerror=alert(1)>**',
      '<a href="javascript:alert(1)">x</a>',
      '![x](javascript:alert(1))',
      '<iframe src="https://evil.example"></iframe>',
    ]) {
      const out = html(payload);
      expect(out, payload).not.toMatch(/<(img|script|div|iframe|a)\b/);
      expect(out, payload).not.toMatch(/<[^>]+\son\w+=/);
    }
    expect(html('<img src=x onerror=alert(1)>')).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('links only web and mail addresses, in a new tab without opener or referrer', () => {
    expect(html('[click](javascript:alert(1))')).not.toContain('href');
    expect(html('[click](JaVaScRiPt:alert(1))')).not.toContain('href');
    expect(html('[x](data:text/html,<script>alert(1)</script>)')).not.toContain('href');
    expect(html('[x](vbscript:msgbox)')).not.toContain('href');
    const link = html('see https://example.com/a?b=1&c=2 now');
    expect(link).toContain('<a href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">https://example.com/a?b=1&amp;c=2</a>');
    expect(html('[docs](https://example.com "t")')).toContain('rel="noopener noreferrer"');
    expect(safeHref(' javascript:alert(1)')).toBeNull();
    expect(safeHref('mailto:a@example.com')).toBe('mailto:a@example.com');
  });

  it('keeps mentions highlighted inside formatting', () => {
    expect(html('hi **@bob**', ['bob'])).toContain('<strong><span class="mention">@bob</span></strong>');
  });
});
