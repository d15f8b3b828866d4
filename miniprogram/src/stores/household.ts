/** 我的家庭: the household as its member sees it (masked), what the head decides (pending members), moves waiting
 * for this person's side, and the changes a member may make. */
import { defineStore } from "pinia";
import { api } from "@/api/request";
import type { Member, MyHousehold, Schemas } from "@/api/types";

export const useHousehold = defineStore("household", {
  state: () => ({ mine: null as MyHousehold | null, moves: [] as Schemas["Move"][], loaded: false }),
  getters: {
    me: (state): Member | undefined => state.mine?.members?.find((m) => m.id === state.mine?.me),
    isHead(): boolean {
      return Boolean(this.me?.is_head);
    },
    pending: (state): Member[] => (state.mine?.members ?? []).filter((m) => m.status === "pending"),
  },
  actions: {
    async load() {
      this.mine = await api.get("/api/my/household");
      this.moves = await api.get("/api/moves");
      this.loaded = true;
    },
    async confirm(member: Member) {
      await api.post("/api/members/{member_id}/confirm", { path: { member_id: member.id! } });
      await this.load();
    },
    async reject(member: Member) {
      await api.post("/api/members/{member_id}/reject", { path: { member_id: member.id! } });
      await this.load();
    },
    async change(member: Member, changes: Schemas["MemberChange"]) {
      await api.patch("/api/members/{member_id}", { path: { member_id: member.id! }, body: changes });
      await this.load();
    },
    async remove(member: Member) {
      await api.delete("/api/members/{member_id}", { path: { member_id: member.id! } });
      if (member.id === this.mine?.me) this.mine = null;   // withdrew their own registration
      else await this.load();
    },
    async decideMove(move: Schemas["Move"], agree: boolean) {
      const path = { member_id: move.id! };
      if (agree) await api.post("/api/moves/{member_id}/approve", { path });
      else await api.post("/api/moves/{member_id}/refuse", { path });
      await this.load();
    },
    exportAll() {
      return api.get("/api/my/household/export");
    },
  },
});
