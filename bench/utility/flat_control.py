"""The flat-patch control of a composite fill: a copy of the fill's exported Pascal VOC in which the
rare class's box on every synthetic image (file names `fill-*`) is painted one flat colour, the mean
of its own pixels. Placement, size, colour and every other pixel stay the fill's; only what the
patch shows is gone. If a detector learns as much from this copy as from the fill itself, the fill's
lift comes from where its patches are, not from what the generator drew.

    /usr/bin/python3 bench/utility/flat_control.py --fill OUT/fills/model/voc --rare bird_nest \
        --out OUT/fills/flat/voc
"""
import argparse
import os
import shutil
import xml.etree.ElementTree as ET

import numpy as np
from PIL import Image


def boxes_of(xml_path, rare):
    root = ET.parse(xml_path).getroot()
    out = []
    for obj in root.iter("object"):
        if (obj.findtext("name") or "").strip() != rare:
            continue
        bb = obj.find("bndbox")
        out.append(tuple(int(round(float(bb.findtext(k)))) for k in ("xmin", "ymin", "xmax", "ymax")))
    return (root.findtext("filename") or "").strip(), out


def flatten(image, boxes):
    a = np.asarray(image.convert("RGB")).copy()
    h, w = a.shape[:2]
    for x0, y0, x1, y1 in boxes:
        x0, y0, x1, y1 = max(0, x0), max(0, y0), min(w, x1), min(h, y1)
        if x1 > x0 and y1 > y0:
            region = a[y0:y1, x0:x1]
            region[...] = region.reshape(-1, 3).mean(axis=0).round().astype(np.uint8)
    return Image.fromarray(a)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fill", required=True, help="the fill's exported VOC folder")
    ap.add_argument("--rare", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args(argv)
    tmp = a.out + ".partial"
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(a.fill, tmp)
    flattened = 0
    for d, _, files in os.walk(tmp):
        for f in sorted(files):
            if not f.lower().endswith(".xml"):
                continue
            filename, boxes = boxes_of(os.path.join(d, f), a.rare)
            if not filename.startswith("fill-") or not boxes:
                continue
            matches = [os.path.join(dd, ff) for dd, _, ffs in os.walk(tmp) for ff in ffs if ff == filename]
            if len(matches) != 1:
                raise SystemExit(f"{f}: expected one image {filename}, found {len(matches)}")
            path = matches[0]
            with Image.open(path) as im:
                fmt = im.format
                flat = flatten(im, boxes)
            flat.save(path, format=fmt, **({"quality": 95} if fmt == "JPEG" else {}))
            flattened += 1
    if flattened == 0:
        raise SystemExit(f"no synthetic image with a {a.rare} box in {a.fill}")
    shutil.rmtree(a.out, ignore_errors=True)
    os.rename(tmp, a.out)
    print(f"flattened the {a.rare} boxes of {flattened} synthetic images into {a.out}")


if __name__ == "__main__":
    main()
