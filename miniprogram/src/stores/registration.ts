/** 登记: one household's registration as the person fills it in — the privacy notice's version agreed first, then
 * themselves and their family — checked on the phone, sent once (one Idempotency-Key for the form, kept across
 * taps), the backend's field errors put back by their members' fields. */
import { defineStore } from "pinia";
import { api, ApiError, newIdempotencyKey } from "@/api/request";
import type { Schemas } from "@/api/types";
import { emptyMember, type FieldErrors, type MemberDraft, memberEntry, memberErrorsFromApi,
  memberProblems } from "@/utils/members";

export const useRegistration = defineStore("registration", {
  state: () => ({
    token: "",
    /** the notice's version the person agreed to; nothing is sent before */
    agreedVersion: "",
    claimHead: false,
    members: [emptyMember(true)] as MemberDraft[],
    errors: [{}] as FieldErrors[],
    /** a refusal not about one field */
    problem: "",
    sending: false,
    idempotencyKey: newIdempotencyKey(),
    registered: null as Schemas["Registered"] | null,
  }),
  actions: {
    start(token: string, householdHasHead: boolean) {
      if (this.token !== token) this.$reset();
      this.token = token;
      this.claimHead = !householdHasHead;
    },
    agree(version: string) {
      this.agreedVersion = version;
    },
    addMember() {
      this.members.push(emptyMember());
      this.errors.push({});
    },
    removeMember(index: number) {
      if (this.members[index]?.is_self) return;
      this.members.splice(index, 1);
      this.errors.splice(index, 1);
    },
    /** Check every entry; true when all may be sent. */
    check(today: Date = new Date()): boolean {
      this.errors = this.members.map((member) => memberProblems(member, this.claimHead, today));
      return this.errors.every((fields) => Object.keys(fields).length === 0);
    },
    async submit(): Promise<boolean> {
      this.problem = "";
      if (!this.agreedVersion) {
        this.problem = "请先阅读并同意个人信息保护告知书。";
        return false;
      }
      if (!this.check() || this.sending) return false;
      this.sending = true;
      try {
        this.registered = await api.post("/api/scan/{token}/members", {
          path: { token: this.token }, idempotencyKey: this.idempotencyKey,
          body: { members: this.members.map((m) => memberEntry(m, this.claimHead)), claim_head: this.claimHead,
            consent_version: this.agreedVersion },
        });
        return true;
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        const byField = memberErrorsFromApi(error.body, this.members.length);
        if (byField.some((fields) => Object.keys(fields).length)) this.errors = byField;
        else this.problem = error.message;
        if (error.status !== 0 && error.status !== 409) this.idempotencyKey = newIdempotencyKey();   // corrected, it is a new request
        return false;
      } finally {
        this.sending = false;
      }
    },
  },
});
