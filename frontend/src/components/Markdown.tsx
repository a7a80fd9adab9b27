// Message text as a Markdown subset (bold, italic, strike, inline code, code blocks, quotes, lists, links), parsed
// by `marked`'s lexer and rendered as React elements: no HTML string is ever produced or inserted, so raw HTML in
// a message shows as text, and only http(s)/mailto links become links (new tab, no opener, no referrer).
import { Fragment, memo, type ReactNode } from 'react';
import { Lexer, type Token, type Tokens } from 'marked';
import { splitMentions } from '../lib/mentions';

const SAFE_URL = /^(https?:|mailto:)/i;

/** The href to use for a link, or null when it is not a web or mail address (javascript:, data:, relative…). */
export function safeHref(href: string | null | undefined): string | null {
  if (!href) return null;
  const trimmed = href.trim();
  if (!SAFE_URL.test(trimmed)) return null;
  try {
    const url = new URL(trimmed);
    return url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'mailto:' ? url.href : null;
  } catch {
    return null;
  }
}

function tokens(text: string): Token[] {
  return new Lexer({ gfm: true, breaks: true }).lex(text);
}

function Text({ text, names }: { text: string; names: readonly string[] }) {
  return (
    <>
      {splitMentions(text, names).map((part, i) =>
        part.mention ? (
          <span key={i} className="mention">
            {part.text}
          </span>
        ) : (
          <Fragment key={i}>{part.text}</Fragment>
        ),
      )}
    </>
  );
}

function inline(list: readonly Token[] | undefined, names: readonly string[], inLink = false): ReactNode {
  if (!list) return null;
  return list.map((t, i) => <Fragment key={i}>{inlineToken(t, names, inLink)}</Fragment>);
}

function inlineToken(t: Token, names: readonly string[], inLink: boolean): ReactNode {
  switch (t.type) {
    case 'text':
      return 'tokens' in t && t.tokens?.length ? inline(t.tokens, names, inLink) : <Text text={t.text} names={names} />;
    case 'escape':
      return t.text;
    case 'strong':
      return <strong>{inline((t as Tokens.Strong).tokens, names, inLink)}</strong>;
    case 'em':
      return <em>{inline((t as Tokens.Em).tokens, names, inLink)}</em>;
    case 'del':
      return <del>{inline((t as Tokens.Del).tokens, names, inLink)}</del>;
    case 'codespan':
      return <code>{t.text}</code>;
    case 'br':
      return <br />;
    case 'link': {
      const link = t as Tokens.Link;
      const href = safeHref(link.href);
      if (!href || inLink) return link.raw;
      return (
        <a href={href} target="_blank" rel="noopener noreferrer">
          {inline(link.tokens, names, true)}
        </a>
      );
    }
    // Raw HTML, images and anything else: the characters as typed.
    default:
      return t.raw;
  }
}

function block(t: Token, key: number, names: readonly string[]): ReactNode {
  switch (t.type) {
    case 'paragraph':
      return <p key={key}>{inline((t as Tokens.Paragraph).tokens, names)}</p>;
    case 'text':
      return <p key={key}>{'tokens' in t && t.tokens ? inline(t.tokens, names) : <Text text={t.text} names={names} />}</p>;
    case 'code':
      return (
        <pre key={key}>
          <code>{(t as Tokens.Code).text}</code>
        </pre>
      );
    case 'blockquote':
      return <blockquote key={key}>{(t as Tokens.Blockquote).tokens.map((c, i) => block(c, i, names))}</blockquote>;
    case 'list': {
      const list = t as Tokens.List;
      const items = list.items.map((item, i) => (
        <li key={i}>{item.tokens.map((c, j) => (c.type === 'text' ? <Fragment key={j}>{inlineToken(c, names, false)}</Fragment> : block(c, j, names)))}</li>
      ));
      return list.ordered ? (
        <ol key={key} start={typeof list.start === 'number' ? list.start : undefined}>
          {items}
        </ol>
      ) : (
        <ul key={key}>{items}</ul>
      );
    }
    case 'space':
      return null;
    // Headings, tables, rules and raw HTML blocks are not part of chat formatting: shown as typed.
    default:
      return (
        <p key={key} className="md-raw">
          <Text text={t.raw.replace(/\n+$/, '')} names={names} />
        </p>
      );
  }
}

export const Markdown = memo(function Markdown({ text, memberNames }: { text: string; memberNames: readonly string[] }) {
  return <div className="md">{tokens(text).map((t, i) => block(t, i, memberNames))}</div>;
});
