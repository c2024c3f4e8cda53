import type { ApiClient } from './apiClient';

/** A page of the app: its element, and what to stop (polling) when the user leaves it. */
export interface View {
  element: HTMLElement;
  dispose?(): void;
}

export interface ViewContext {
  api: ApiClient;
  navigate(hash: string): void;
}
