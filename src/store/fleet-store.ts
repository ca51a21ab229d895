// The fleet screen's store: the fleet as last read, and what the user chose (order, sort, filter, open host).
import { createStore, type StoreApi } from 'zustand/vanilla';
import {
  absorbRefresh,
  EMPTY_FLEET,
  fleetRows,
  parseRefresh,
  type FleetRow,
  type FleetSort,
  type FleetState,
} from '../analyze/fleet.js';
import type { FleetRawFrame } from '../model/fleet-frame.js';

export type FleetView = 'table' | 'host' | 'help';

export interface FleetStoreState {
  url: string;
  fleet: FleetState;
  order: number;
  /** Orders the hosts have, as Prometheus' order labels say; 14 until it says (64 KiB-page kernels). */
  orderCount: number;
  sort: FleetSort;
  filter: string;
  /** The filter being typed after `/`; null when no prompt is open. */
  prompt: string | null;
  selected: number;
  view: FleetView;
  openHost: string | null;
  helpScroll: number;
  nowMs: number;
  actions: {
    absorb(frame: FleetRawFrame): void;
    tick(nowMs: number): void;
    changeOrder(delta: number): void;
    setSort(sort: FleetSort): void;
    setPrompt(text: string | null): void;
    applyFilter(text: string): void;
    select(delta: number): void;
    openSelected(): void;
    back(): void;
    toggleHelp(): void;
    scrollHelp(delta: number): void;
  };
}

export type FleetStore = StoreApi<FleetStoreState>;

export const MAX_ORDER = 20;

export function createFleetStore(init: { url: string; order: number; nowMs?: number }): FleetStore {
  return createStore<FleetStoreState>()((set, get) => ({
    url: init.url,
    fleet: EMPTY_FLEET,
    order: init.order,
    orderCount: 14,
    sort: 'risk',
    filter: '',
    prompt: null,
    selected: 0,
    view: 'table',
    openHost: null,
    helpScroll: 0,
    nowMs: init.nowMs ?? 0,
    actions: {
      absorb(frame) {
        const fleet = absorbRefresh(get().fleet, parseRefresh(frame));
        set({ fleet, nowMs: frame.timeMs, orderCount: fleet.orderCount ?? get().orderCount });
      },
      tick: (nowMs) => set({ nowMs }),
      changeOrder: (delta) =>
        set((s) => ({
          order: Math.max(0, Math.min(Math.min(MAX_ORDER, s.orderCount - 1), s.order + delta)),
        })),
      setSort: (sort) => set({ sort, selected: 0 }),
      setPrompt: (prompt) => set({ prompt }),
      applyFilter: (filter) => set({ filter, prompt: null, selected: 0 }),
      select: (delta) =>
        set((s) => ({ selected: Math.max(0, Math.min(selectRows(s).length - 1, s.selected + delta)) })),
      openSelected() {
        const row = selectRows(get())[get().selected];
        if (row) set({ view: 'host', openHost: row.host });
      },
      back: () => set({ view: 'table', openHost: null }),
      toggleHelp: () => set((s) => ({ view: s.view === 'help' ? 'table' : 'help', helpScroll: 0 })),
      scrollHelp: (delta) => set((s) => ({ helpScroll: Math.max(0, s.helpScroll + delta) })),
    },
  }));
}

let memo: { key: unknown[]; rows: FleetRow[] } | null = null;

/** The sorted, filtered rows; the same array until one of its inputs changes (zustand 5 needs stable results). */
export function selectRows(state: FleetStoreState): FleetRow[] {
  const key = [state.fleet, state.order, state.sort, state.filter, state.nowMs];
  if (memo && memo.key.every((k, i) => k === key[i])) return memo.rows;
  const rows = fleetRows(state.fleet, state.order, state.nowMs, state.sort, state.filter);
  memo = { key, rows };
  return rows;
}
