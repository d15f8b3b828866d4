/** Who the phone's person is to the backend (GET /api/auth/me): role, place, household. Pages read it; a sign-in,
 * a registration or signing out refreshes it. */
import { defineStore } from "pinia";
import { api } from "@/api/request";
import type { Me } from "@/api/types";
import { forgetToken } from "@/api/session";

export const STAFF_ROLES = ["admin", "grid_head", "unit_leader", "joint_head", "police"] as const;

export const useSession = defineStore("session", {
  state: () => ({ me: null as Me | null, loading: false }),
  getters: {
    isStaff: (state) => STAFF_ROLES.includes((state.me?.role ?? "") as (typeof STAFF_ROLES)[number]),
    /** a confirmed member (resident) or one awaiting the head (registrant) */
    inHousehold: (state) => state.me?.household_id != null,
  },
  actions: {
    async refresh(): Promise<Me> {
      this.loading = true;
      try {
        this.me = await api.get("/api/auth/me");
        return this.me;
      } finally {
        this.loading = false;
      }
    },
    async signOut(): Promise<void> {
      try {
        await api.post("/api/auth/logout");
      } finally {
        forgetToken();
        this.me = null;
      }
    },
  },
});
