import { lazy, Suspense, useEffect, useRef, useState } from 'react';

const Picker = lazy(async () => {
  const mod = await import('emoji-picker-react');
  const Component = (props: { onPick(emoji: string): void; dark: boolean }) => (
    <mod.default
      onEmojiClick={(data) => props.onPick(data.emoji)}
      emojiStyle={mod.EmojiStyle.NATIVE}
      theme={props.dark ? mod.Theme.DARK : mod.Theme.LIGHT}
      lazyLoadEmojis
      width={320}
      height={380}
      previewConfig={{ showPreview: false }}
    />
  );
  return { default: Component };
});

export const QUICK_REACTIONS = ['👍', '❤️', '😂', '🎉', '😮', '😢'];

function prefersDark(): boolean {
  return typeof window !== 'undefined' && window.matchMedia?.('(prefers-color-scheme: dark)').matches;
}

/** Quick reactions and the full emoji picker, in a popover that Escape or a click outside closes. */
export function EmojiPopover({
  onPick,
  onClose,
  direction = 'down',
}: {
  onPick(emoji: string): void;
  onClose(): void;
  direction?: 'up' | 'down';
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [full, setFull] = useState(false);
  useEffect(() => {
    const onDown = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) onClose();
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    ref.current?.querySelector<HTMLButtonElement>('button')?.focus();
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [onClose]);
  const pick = (emoji: string) => {
    onPick(emoji);
    onClose();
  };
  return (
    <div ref={ref} className={`emoji-popover emoji-popover--${direction}`} role="dialog" aria-label="Pick a reaction">
      <div className="emoji-popover__quick">
        {QUICK_REACTIONS.map((e) => (
          <button key={e} type="button" className="emoji-button" aria-label={`React with ${e}`} onClick={() => pick(e)}>
            {e}
          </button>
        ))}
        <button type="button" className="emoji-button emoji-button--more" aria-label="More emoji" aria-expanded={full} onClick={() => setFull((f) => !f)}>
          +
        </button>
      </div>
      {full ? (
        <Suspense fallback={<div className="emoji-popover__loading">Loading emoji…</div>}>
          <Picker onPick={pick} dark={prefersDark()} />
        </Suspense>
      ) : null}
    </div>
  );
}
