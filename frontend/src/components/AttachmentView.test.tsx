import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { AttachmentFile, AttachmentImage, fileKind, isInlineImage } from './AttachmentView';

const base = { id: 'a1', url: '/files/k.pdf?exp=1', size: 2_500_000, width: null, height: null, thumbnailUrl: null, blurhash: null };

describe('attachments', () => {
  it('shows a file as a chip with its name, kind and size that downloads it', () => {
    const html = renderToStaticMarkup(
      <AttachmentFile attachment={{ ...base, contentType: 'application/pdf', fileName: 'Q3 report.pdf' }} />,
    );
    expect(html).toContain('href="/files/k.pdf?exp=1"');
    expect(html).toContain('download="Q3 report.pdf"');
    expect(html).toContain('<span class="attachment-file__name">Q3 report.pdf</span>');
    expect(html).toContain('PDF · 2.4 MB');
  });

  it('shows an image from its thumbnail over its blurhash, in a box of its final size', () => {
    const html = renderToStaticMarkup(
      <AttachmentImage
        attachment={{
          ...base,
          url: '/files/big.png?exp=1',
          contentType: 'image/png',
          fileName: 'cat.png',
          width: 1000,
          height: 500,
          thumbnailUrl: '/files/big.thumb.webp?exp=1',
          blurhash: 'LEHV6nWB2yk8pyo0adR*.7kCMdnj',
        }}
        onOpen={() => {}}
      />,
    );
    expect(html).toContain('src="/files/big.thumb.webp?exp=1"');
    expect(html).toContain('width:320px;height:160px');
    expect(html).toContain('class="attachment-image__placeholder"');
  });

  it('treats only the served-inline types with dimensions as images', () => {
    expect(isInlineImage({ contentType: 'image/png', width: 3 })).toBe(true);
    expect(isInlineImage({ contentType: 'image/bmp', width: null })).toBe(false);
    expect(isInlineImage({ contentType: 'application/octet-stream', width: null })).toBe(false);
    expect(fileKind('audio/mpeg')).toBe('Audio');
    expect(fileKind('application/zip')).toBe('Archive');
    expect(fileKind('application/octet-stream')).toBe('File');
  });
});
