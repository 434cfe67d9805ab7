/** Turns records read from one dataset into records another writer takes (format conversion). */
import { baseName } from "./file-tree.ts";
import { sniffImageSize } from "./image-size.ts";
import type { DatasetRecord, ExportRecord } from "./model.ts";

/**
 * Names each image by its file name and carries boxes and split over. Sizes come from the
 * record, or from the image header when the reader left them out.
 */
export async function* toExportRecords(
  records: AsyncIterable<DatasetRecord>,
): AsyncGenerator<ExportRecord> {
  for await (const { image, boxes, split } of records) {
    let { width, height } = image;
    if (!(width && height)) {
      const size = await sniffImageSize(image.file());
      if (!size) throw new Error(`image size unknown for ${image.relPath}`);
      ({ width, height } = size);
    }
    yield {
      image: { name: baseName(image.relPath), width, height, stream: image.file },
      boxes,
      ...(split ? { split } : {}),
    };
  }
}
