import { useEffect } from 'react';
import { AuthScreen } from './routes/AuthScreen';
import { ChatShell } from './routes/ChatShell';
import { setSessionLostHandler } from './lib/execute';
import { queryClient } from './lib/queryClient';
import { useSession } from './lib/session';
import { useChat } from './store/chat';

export function App() {
  const session = useSession();
  useEffect(() => {
    setSessionLostHandler(() => {
      queryClient.clear();
      useChat.getState().reset(null);
    });
  }, []);
  if (!session) return <AuthScreen />;
  return <ChatShell key={session.user.id} meId={session.user.id} />;
}
