/** Saving an officer to the phone's contacts. WeChat: addPhoneContact. H5: the backend's vCard of the card
 * (/c/<token>/contact.vcf), which a phone's browser offers to save. */
import { apiBase } from "./base-url";

export interface Person {
  name?: string;
  phone?: string | null;
  title?: string | null;
  station?: string | null;
}

export function saveContact(person: Person, cardToken: string): Promise<void> {
  // #ifdef MP-WEIXIN
  return new Promise((resolve, reject) => {
    uni.addPhoneContact({
      firstName: person.name ?? "", mobilePhoneNumber: person.phone ?? "", title: person.title ?? "",
      organization: person.station ?? "",
      success: () => resolve(),
      fail: (err) => reject(new Error(err.errMsg)),
    });
  });
  // #endif
  // #ifndef MP-WEIXIN
  window.location.assign(vcardUrl(cardToken));
  return Promise.resolve();
  // #endif
}

export function vcardUrl(cardToken: string): string {
  return `${apiBase()}/c/${encodeURIComponent(cardToken)}/contact.vcf`;
}
