// Short messages at the bottom of the window ("Copied — clears in 30 s", "Deleted · Undo").
// One at a time: a new toast replaces the previous one, so nothing piles up.

export interface Toast {
  id: number;
  text: string;
  action?: { label: string; run: () => void };
}

export class Toasts {
  current = $state<Toast | null>(null);
  #timer: ReturnType<typeof setTimeout> | undefined;
  #next = 1;

  /** Shows `text` for `ms` (longer when there is an action to reach). */
  show(text: string, action?: Toast['action'], ms = action === undefined ? 4000 : 8000): void {
    clearTimeout(this.#timer);
    const toast: Toast = action === undefined ? { id: this.#next++, text } : { id: this.#next++, text, action };
    this.current = toast;
    this.#timer = setTimeout(() => {
      if (this.current?.id === toast.id) this.current = null;
    }, ms);
  }

  dismiss(): void {
    clearTimeout(this.#timer);
    this.current = null;
  }
}
