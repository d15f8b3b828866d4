/* What uni gives a page at run time, for tests outside uni's runtime: its lifecycle hooks (importing
 * @dcloudio/uni-app for real fails under vitest: its hooks need uni's own Vue), and the `uni` global as a fake
 * backend (tests/fake-uni.ts). */
import { vi } from "vitest";
import { installFakeUni } from "./fake-uni";

vi.mock("@dcloudio/uni-app", async () => (await import("./fake-hooks")).hooks);

installFakeUni();
