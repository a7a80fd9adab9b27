import { QueryClient } from '@tanstack/react-query';
import { GraphQLRequestError } from './execute';

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      retry: (count, error) =>
        count < 3 && !(error instanceof GraphQLRequestError && ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'BAD_USER_INPUT'].includes(error.code ?? '')),
    },
  },
});
