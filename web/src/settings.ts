import { createContext, useContext } from 'react';
import type { Role } from './api/types.ts';
import type { Person } from './auth/session.ts';
import type { ConsoleConfig } from './consoleConfig.ts';

export interface ConsoleContext {
  config: ConsoleConfig;
  person: Person;
}

export const Console = createContext<ConsoleContext | undefined>(undefined);

export function useConsole(): ConsoleContext & { can: (role: Role) => boolean } {
  const context = useContext(Console);
  if (!context) throw new Error('useConsole outside <App>');
  return { ...context, can: (role) => context.person.roles.includes(role) };
}
