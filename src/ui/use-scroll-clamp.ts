// Keeps the store's page scroll within what a scrolling panel can show, so PgUp moves at once after overshooting.
import { useEffect } from 'react';
import { useFragtopStore } from './StoreContext.js';

export function useScrollClamp(scroll: number, lastFirst: number): void {
  const store = useFragtopStore();
  useEffect(() => {
    if (scroll > lastFirst) store.getState().actions.clampPageScroll(lastFirst);
  }, [scroll, lastFirst, store]);
}
