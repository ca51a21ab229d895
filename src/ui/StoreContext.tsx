// Passes the app's store (and display settings) to components; each test renders with a fresh store.
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { FragtopState, FragtopStore } from '../store/create-store.js';

export interface DisplaySettings {
  color: boolean;
}

const StoreContext = createContext<FragtopStore | null>(null);
const DisplayContext = createContext<DisplaySettings>({ color: true });

export function FragtopProvider(props: {
  store: FragtopStore;
  display?: DisplaySettings;
  children: ReactNode;
}) {
  return (
    <StoreContext.Provider value={props.store}>
      <DisplayContext.Provider value={props.display ?? { color: true }}>
        {props.children}
      </DisplayContext.Provider>
    </StoreContext.Provider>
  );
}

export function useFragtopStore(): FragtopStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('FragtopProvider is missing');
  return store;
}

/** Select from the store; selectors must return stable references (zustand 5 re-renders on every new one). */
export function useFragtop<T>(selector: (state: FragtopState) => T): T {
  return useStore(useFragtopStore(), selector);
}

export function useDisplay(): DisplaySettings {
  return useContext(DisplayContext);
}
