// The keyboard-driven state of the live table (scroll offset, sort column, filter), as a reducer.
import type { InputMode, TableAction } from './keys.js';

export interface ViewState {
  mode: InputMode;
  filter: string;
  /** Index of the sort column among the displayed columns. */
  sortColumn: number;
  /** Index of the first displayed row among the filtered, sorted rows. */
  offset: number;
}

/** What the reducer needs to know about the table to clamp and cycle. */
export interface ViewBounds {
  rows: number;
  pageSize: number;
  columns: number;
}

export const initialViewState: ViewState = { mode: 'browse', filter: '', sortColumn: 0, offset: 0 };

/** The largest useful offset: the last page shows the last row at the bottom. */
export function maxOffset(b: Pick<ViewBounds, 'rows' | 'pageSize'>): number {
  return Math.max(0, b.rows - b.pageSize);
}

export function clampOffset(offset: number, b: Pick<ViewBounds, 'rows' | 'pageSize'>): number {
  return Math.min(Math.max(0, offset), maxOffset(b));
}

export function viewReducer(state: ViewState, { action, bounds }: { action: TableAction; bounds: ViewBounds }): ViewState {
  // The stored offset may be stale after rows went away; start every move from the clamped one.
  const offset = clampOffset(state.offset, bounds);
  switch (action.type) {
    case 'quit':
      return state;
    case 'scroll':
      return { ...state, offset: clampOffset(offset + action.by, bounds) };
    case 'page':
      return { ...state, offset: clampOffset(offset + action.by * bounds.pageSize, bounds) };
    case 'top':
      return { ...state, offset: 0 };
    case 'bottom':
      return { ...state, offset: maxOffset(bounds) };
    case 'sort':
      return bounds.columns > 0 ? { ...state, sortColumn: (state.sortColumn + action.by + bounds.columns) % bounds.columns } : state;
    case 'filterStart':
      return { ...state, mode: 'filter' };
    case 'filterType':
      return { ...state, filter: state.filter + action.text, offset: 0 };
    case 'filterBackspace':
      return { ...state, filter: [...state.filter].slice(0, -1).join(''), offset: 0 };
    case 'filterAccept':
      return { ...state, mode: 'browse' };
    case 'filterClear':
      return { ...state, mode: 'browse', filter: '', offset: 0 };
  }
}
