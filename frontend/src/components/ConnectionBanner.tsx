import { useEffect, useState } from 'react';
import { useChat } from '../store/chat';

/** "Reconnecting…" while the socket is down for more than a moment (a token renewal reconnects quickly). */
export function ConnectionBanner() {
  const connection = useChat((s) => s.connection);
  const [show, setShow] = useState(false);
  useEffect(() => {
    if (connection !== 'reconnecting') {
      setShow(false);
      return;
    }
    const timer = setTimeout(() => setShow(true), 1_000);
    return () => clearTimeout(timer);
  }, [connection]);
  if (!show) return null;
  return (
    <div className="connection-banner" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> Reconnecting…
    </div>
  );
}
