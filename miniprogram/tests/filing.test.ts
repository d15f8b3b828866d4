import { beforeEach, describe, expect, it, vi } from "vitest";
import { createPinia, setActivePinia } from "pinia";
import { useFiling } from "@/stores/filing";
import { loadDraft } from "@/utils/request-draft";
import { backend, resetFakeUni, storage, type SentRequest } from "./fake-uni";

vi.mock("@/api/request", async (original) => ({
  ...(await original<typeof import("@/api/request")>()), RETRY_DELAY_MS: 0,
}));

const WEIXIN = process.env.UNI_PLATFORM === "mp-weixin";
const DRAFT_KEY = "jiashu.request-draft";
const files = () => backend.sent.filter((sent) => sent.method === "POST" && sent.url.endsWith("/api/requests"));
const uploads = () => backend.sent.filter((sent) => sent.method === "UPLOAD");

/** A backend that files request 7 and takes photos; `refuse` answers a filing instead. */
function backendFiling(refuse?: (sent: SentRequest) => { statusCode: number; data?: unknown }) {
  backend.answer = (sent) => {
    if (sent.url.endsWith("/api/requests") && sent.method === "POST") return refuse?.(sent) ?? { statusCode: 201, data: { id: 7 } };
    if (sent.url.endsWith("/api/requests/filing")) {
      return { statusCode: 200, data: { photo_limit: 2, photo_max_mb: 5, subscribe_templates: ["tmpl-resolved"] } };
    }
    if (sent.url.endsWith("/api/categories")) return { statusCode: 200, data: [{ code: "safety", name: "安全隐患" }] };
    return { statusCode: 201, data: { id: 7 } };
  };
}

async function filled() {
  const filing = useFiling();
  await filing.open();
  filing.draft.category = "safety";
  filing.draft.description = "楼道灯坏了";
  filing.addPhotos(["a.jpg", "b.jpg", "c.jpg"]);
  return filing;
}

beforeEach(() => {
  resetFakeUni();
  storage.set("jiashu.token", "kept");
  setActivePinia(createPinia());
});

describe(`filing a request (${process.env.UNI_PLATFORM})`, () => {
  it("takes photos up to the backend's limit and keeps the draft as it changes", async () => {
    backendFiling();
    const filing = await filled();
    expect(filing.draft.photos).toEqual(["a.jpg", "b.jpg"]);
    expect(filing.photosLeft).toBe(0);
    filing.keep();
    expect(loadDraft()).toMatchObject({ category: "safety", description: "楼道灯坏了", photos: ["a.jpg", "b.jpg"] });
  });

  it("files once and attaches each photo, then forgets the draft", async () => {
    backendFiling();
    const filing = await filled();
    expect(await filing.send()).toBe(7);
    expect(files()).toHaveLength(1);
    expect(files()[0].data).toEqual({ category: "safety", description: "楼道灯坏了" });
    expect(uploads().map((sent) => [sent.url.replace(/^.*\/api/, "/api"), sent.data]))
      .toEqual([["/api/requests/7/photos", "a.jpg"], ["/api/requests/7/photos", "b.jpg"]]);
    expect(uploads()[0].header.Authorization).toBe("Bearer kept");
    expect(storage.has(DRAFT_KEY)).toBe(false);
  });

  it("keeps the draft when the network drops, and sending again files nothing twice", async () => {
    backendFiling();
    const filing = await filled();
    const answer = backend.answer;
    backend.answer = (sent) => {
      if (sent.method === "UPLOAD" && uploads().length === 1) backend.offline = 2;   // the next photo and its retry
      return answer(sent);
    };
    expect(await filing.send()).toBeNull();
    expect(filing.errors.form).toContain("网络不通");
    expect(loadDraft()).toMatchObject({ requestId: 7, sent: 1, description: "楼道灯坏了" });

    expect(await filing.send()).toBe(7);
    expect(files()).toHaveLength(1);
    expect(uploads().map((sent) => sent.data)).toEqual(["a.jpg", "b.jpg", "b.jpg", "b.jpg"]);
  });

  it("sends a filing that got no answer again under the same Idempotency-Key", async () => {
    backendFiling();
    const filing = await filled();
    backend.offline = 2;
    expect(await filing.send()).toBeNull();
    expect(await filing.send()).toBe(7);
    const keys = files().map((sent) => sent.header["Idempotency-Key"]);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
  });

  it("shows the backend's refusal beside its field and keeps what was typed", async () => {
    backendFiling(() => ({ statusCode: 422, data: { message: "category: no category 'safety' in this community.",
      zh: "没有这个类别。" } }));
    const filing = await filled();
    expect(await filing.send()).toBeNull();
    expect(filing.errors).toEqual({ category: "没有这个类别。" });
    expect(filing.draft.description).toBe("楼道灯坏了");
  });

  it("checks the category and the text on the phone first", async () => {
    backendFiling();
    const filing = useFiling();
    await filing.open();
    expect(await filing.send()).toBeNull();
    expect(filing.errors).toEqual({ category: "请选择诉求类别。", description: "请写下具体情况。" });
    expect(files()).toHaveLength(0);
  });

  it("asks for the announced notice templates at the tap (WeChat), the browser accepting for itself", async () => {
    backendFiling();
    const filing = await filled();
    await filing.send();
    if (WEIXIN) expect(uni.requestSubscribeMessage).toHaveBeenCalledWith(expect.objectContaining({ tmplIds: ["tmpl-resolved"] }));
    else expect(uni.requestSubscribeMessage).not.toHaveBeenCalled();
  });
});
