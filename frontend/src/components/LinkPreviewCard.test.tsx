import { describe, expect, it, vi } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { fireEvent, render, screen } from '@testing-library/react';
import { LinkPreviewCard, webUrl } from './LinkPreviewCard';

const preview = {
  url: 'https://example.com/post',
  title: 'A post',
  description: 'What it says.',
  imageUrl: 'https://cdn.example.com/cover.png',
  siteName: 'Example',
};

describe('link preview card', () => {
  it('links the title in a new tab without opener or referrer, with the description and a sized image', () => {
    const html = renderToStaticMarkup(<LinkPreviewCard preview={preview} />);
    expect(html).toContain(
      '<a class="link-preview__title" href="https://example.com/post" target="_blank" rel="noopener noreferrer">A post</a>',
    );
    expect(html).toContain('<p class="link-preview__description">What it says.</p>');
    expect(html).toContain('<span class="link-preview__site">Example</span>');
    expect(html).toMatch(/<img class="link-preview__image" src="https:\/\/cdn.example.com\/cover.png" alt="" width="72" height="72"/);
    expect(html).not.toContain('Remove link preview');
  });

  it('shows the title and description as text, never as HTML', () => {
    const html = renderToStaticMarkup(
      <LinkPreviewCard
        preview={{
          ...preview,
          title: '<img src=x onerror=alert(1)>',
          description: '<script>alert(1)</script><b>bold</b>',
          siteName: '<i>site</i>',
        }}
      />,
    );
    expect(html).not.toMatch(/<(script|b|i)>/);
    expect(html).not.toMatch(/<img src=x/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;');
  });

  it('uses only web URLs: no link or image for javascript: or data:', () => {
    const html = renderToStaticMarkup(
      <LinkPreviewCard preview={{ ...preview, url: 'javascript:alert(1)', imageUrl: 'data:image/png;base64,AAAA' }} />,
    );
    expect(html).not.toContain('href');
    expect(html).not.toContain('<img');
    expect(html).toContain('A post');
    expect(webUrl(' https://a.example/x ')).toBe('https://a.example/x');
    expect(webUrl('/relative')).toBeNull();
  });

  it('falls back to the site name, then the host, without a title; no image box without an image', () => {
    const bare = { url: 'https://news.example.org/a', title: null, description: null, imageUrl: null, siteName: null };
    const html = renderToStaticMarkup(<LinkPreviewCard preview={bare} />);
    expect(html).toContain('>news.example.org</a>');
    expect(html).not.toContain('<img');
    expect(renderToStaticMarkup(<LinkPreviewCard preview={{ ...bare, siteName: 'News' }} />)).toContain('>News</a>');
  });

  it('offers the author a remove button that calls back', () => {
    const onRemove = vi.fn();
    render(<LinkPreviewCard preview={preview} onRemove={onRemove} />);
    fireEvent.click(screen.getByRole('button', { name: 'Remove link preview' }));
    expect(onRemove).toHaveBeenCalledOnce();
  });

  it('drops the image when it fails to load, keeping the text', () => {
    const { container } = render(<LinkPreviewCard preview={preview} />);
    const img = container.querySelector('img')!;
    fireEvent.error(img);
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByRole('link', { name: 'A post' })).toBeTruthy();
  });
});
