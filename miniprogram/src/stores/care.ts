/** 关怀模式: large text and high contrast for older residents, remembered on the phone (storage) and applied to
 * every page from launch on. */
import { defineStore } from "pinia";
import { applyCare } from "@/platform/care";

export const CARE_KEY = "jiashu.care";

export const useCare = defineStore("care", {
  state: () => ({ on: uni.getStorageSync(CARE_KEY) === "1" }),
  actions: {
    /** The remembered choice onto the page (App.vue's onLaunch). */
    apply(): void {
      applyCare(this.on);
    },
    set(on: boolean): void {
      this.on = on;
      uni.setStorageSync(CARE_KEY, on ? "1" : "0");
      applyCare(on);
    },
  },
});
