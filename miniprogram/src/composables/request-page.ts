/** A request's page, the household's and the handler's alike: its id from the query, the request read at each
 * showing, and a step posted on its timeline (the page read again after it). */
import { ref } from "vue";
import { onLoad, onShow } from "@dcloudio/uni-app";
import { api, toastError } from "@/api/request";
import type { Schemas } from "@/api/types";
import { useFormSend } from "./forms";

type Step = NonNullable<Parameters<typeof api.post<"/api/requests/{request_id}/events">>[1]>["body"];

export function useRequestPage(afterLoad?: (request: Schemas["RequestDetail"]) => Promise<void>) {
  const id = ref(0);
  const request = ref<Schemas["RequestDetail"] | null>(null);
  const { errors, send } = useFormSend();

  async function load() {
    if (!id.value) return;
    try {
      request.value = await api.get("/api/requests/{request_id}", { path: { request_id: id.value } });
      await afterLoad?.(request.value);
    } catch (error) {
      toastError(error);
    }
  }
  onLoad((options) => {
    id.value = Number(options?.id ?? 0);
  });
  onShow(load);

  /** Whether the step went (else `errors` or a toast say why). */
  async function post(body: Step): Promise<boolean> {
    const went = await send((idempotencyKey) =>
      api.post("/api/requests/{request_id}/events", { path: { request_id: id.value }, body, idempotencyKey }));
    if (went) await load();
    return went;
  }

  const categoryName = () => (request.value?.category as { name?: string } | undefined)?.name ?? "";
  return { id, request, errors, load, post, categoryName };
}
