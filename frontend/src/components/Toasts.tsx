import { navigate } from '../lib/router';
import { useChat } from '../store/chat';
import { Icon } from './Icons';

export function Toasts() {
  const toasts = useChat((s) => s.toasts);
  const dismiss = useChat((s) => s.dismissToast);
  return (
    <div className="toasts" role="region" aria-label="Notifications" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast--${t.kind}`} role="status" data-testid="toast">
          <button
            type="button"
            className="toast__main"
            onClick={() => {
              if (t.roomId) navigate(`/r/${t.roomId}`);
              dismiss(t.id);
            }}
          >
            <strong className="toast__title">
              {t.title}
              {t.count > 1 ? <span className="toast__count"> · {t.count} new</span> : null}
            </strong>
            {t.body ? <span className="toast__body">{t.body}</span> : null}
          </button>
          <button type="button" className="icon-button" aria-label="Dismiss notification" onClick={() => dismiss(t.id)}>
            <Icon name="close" size={16} />
          </button>
        </div>
      ))}
    </div>
  );
}
