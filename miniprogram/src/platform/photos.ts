/** Photos from the camera or the album, made small on the phone before they are sent. WeChat: chooseMedia, then
 * compressImage (a phone's photo is often 3–8 MB; the backend takes 5 MB at most). H5: chooseImage (the
 * browser's file chooser; its pictures go as chosen). */
export const COMPRESS_QUALITY = 60;

export function choosePhotos(count: number): Promise<string[]> {
  if (count <= 0) return Promise.resolve([]);
  // #ifdef MP-WEIXIN
  return new Promise((resolve, reject) => {
    uni.chooseMedia({
      count, mediaType: ["image"], sourceType: ["album", "camera"], sizeType: ["compressed"],
      success: async (res) => resolve(await Promise.all(res.tempFiles.map((file) => compressed(file.tempFilePath)))),
      fail: (err) => reject(new Error(err.errMsg)),
    });
  });
  // #endif
  // #ifndef MP-WEIXIN
  return new Promise((resolve, reject) => {
    uni.chooseImage({
      count, sizeType: ["compressed"], sourceType: ["album", "camera"],
      success: (res) => resolve(res.tempFilePaths as string[]),
      fail: (err) => reject(new Error(err.errMsg)),
    });
  });
  // #endif
}

// #ifdef MP-WEIXIN
function compressed(path: string): Promise<string> {
  return new Promise((resolve) => {
    uni.compressImage({
      src: path, quality: COMPRESS_QUALITY,
      success: (res) => resolve(res.tempFilePath),
      fail: () => resolve(path),   // the original: the backend says if it is too large
    });
  });
}
// #endif

/** A cancelled chooser is no error to show. */
export function cancelled(error: unknown): boolean {
  return error instanceof Error && /cancel/i.test(error.message);
}
