import type { PresenceStatus } from '../gql/graphql';
import { useSignedSrc } from '../lib/fileUrls';

const PALETTE = ['#6366f1', '#0ea5e9', '#10b981', '#f59e0b', '#ef4444', '#ec4899', '#8b5cf6', '#14b8a6'];

function colorFor(id: string): string {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
  return PALETTE[h % PALETTE.length];
}

export interface AvatarProps {
  id: string;
  name: string;
  url?: string | null;
  size?: number;
  presence?: PresenceStatus | null;
  square?: boolean;
}

export function Avatar({ id, name, url, size = 36, presence, square }: AvatarProps) {
  const initials = name.replace(/^[#@]/, '').slice(0, 2).toUpperCase();
  const image = useSignedSrc(url);
  return (
    <span className={`avatar${square ? ' avatar--square' : ''}`} style={{ width: size, height: size }} aria-hidden="true">
      {image.src ? (
        <img src={image.src} alt="" width={size} height={size} onError={image.onError} onLoad={image.onLoad} />
      ) : (
        <span className="avatar__initials" style={{ background: colorFor(id), fontSize: size * 0.4 }}>
          {initials}
        </span>
      )}
      {presence ? <PresenceDot status={presence} /> : null}
    </span>
  );
}

export function PresenceDot({ status }: { status: PresenceStatus }) {
  const label = status === 'ONLINE' ? 'online' : status === 'AWAY' ? 'away' : 'offline';
  return <span className={`presence-dot presence-dot--${label}`} data-presence={label} title={label} />;
}
