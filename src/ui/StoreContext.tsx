// Passes the app's store, its controllers and display settings to components; each test renders with fresh ones.
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { controllersWith, type Controllers } from '../controllers/controllers.js';
import type { FragtopState, FragtopStore } from '../store/create-store.js';

export interface DisplaySettings {
  color: boolean;
}

const StoreContext = createContext<FragtopStore | null>(null);
const ControllersContext = createContext<Controllers>(controllersWith());
const DisplayContext = createContext<DisplaySettings>({ color: true });

export function FragtopProvider(props: {
  store: FragtopStore;
  controllers?: Controllers;
  display?: DisplaySettings;
  children: ReactNode;
}) {
  return (
    <StoreContext.Provider value={props.store}>
      <ControllersContext.Provider value={props.controllers ?? NO_CONTROLLERS}>
        <DisplayContext.Provider value={props.display ?? DEFAULT_DISPLAY}>
          {props.children}
        </DisplayContext.Provider>
      </ControllersContext.Provider>
    </StoreContext.Provider>
  );
}

// Stable defaults: a new object each render would re-render every consumer.
const NO_CONTROLLERS = controllersWith();
const DEFAULT_DISPLAY: DisplaySettings = { color: true };

export function useFragtopStore(): FragtopStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('FragtopProvider is missing');
  return store;
}

/** Select from the store; selectors must return stable references (zustand 5 re-renders on every new one). */
export function useFragtop<T>(selector: (state: FragtopState) => T): T {
  return useStore(useFragtopStore(), selector);
}

export function useControllers(): Controllers {
  return useContext(ControllersContext);
}

export function useDisplay(): DisplaySettings {
  return useContext(DisplayContext);
}

/** Display settings alone, for screens without the monitor's store (the fleet). */
export function DisplayProvider(props: { display: DisplaySettings; children: ReactNode }) {
  return <DisplayContext.Provider value={props.display}>{props.children}</DisplayContext.Provider>;
}
