/** What every small form and list of the pages does alike. */
import { ref, type Ref } from "vue";
import { ApiError, newIdempotencyKey, toastError } from "@/api/request";

/** A form's sending: one Idempotency-Key kept across taps until it goes through; the backend's refusal beside the
 * field it names (`errors[field]`), anything else as a toast. `send` answers whether it went. */
export function useFormSend() {
  const errors = ref<Record<string, string>>({});
  let key = newIdempotencyKey();
  async function send(run: (idempotencyKey: string) => Promise<unknown>): Promise<boolean> {
    errors.value = {};
    try {
      await run(key);
      key = newIdempotencyKey();
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.field) errors.value = { [error.field]: error.message };
      else toastError(error);
      return false;
    }
  }
  return { errors, send };
}

/** A list fetched (again at each `load`), and whether an answer came yet (to say "nothing here" only then). */
export function useList<T>(fetch: () => Promise<T[]>): { items: Ref<T[]>; loaded: Ref<boolean>; load: () => Promise<void> } {
  const items = ref<T[]>([]) as Ref<T[]>;
  const loaded = ref(false);
  async function load() {
    try {
      items.value = await fetch();
    } catch (error) {
      toastError(error);
    } finally {
      loaded.value = true;
    }
  }
  return { items, loaded, load };
}
