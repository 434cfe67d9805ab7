"""Long-tailed train split and held-out test split from procedural scene folders (the Pascal VOC
that `gridfill synth` writes; any VOC works).

    /usr/bin/python3 bench/utility/make_split.py --scenes /tmp/scenes --rare crack --out /tmp/split

Test: --test-images scenes, drawn at random but with rare-class scenes first until the test split
holds --min-test-rare rare boxes (so the rare class is measured on enough boxes). Train: every
other scene without the rare class, plus rare-class scenes until --rare-train rare boxes (scenes
with one rare box first); the remaining rare scenes are dropped rather than relabelled, so no rare
object sits unlabelled in a training image. Writes OUT/{train,test}/{Annotations,JPEGImages} and
OUT/split.json (boxes per class per split)."""
import argparse
import json
import os
import random
import shutil
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "packages", "mvsa-gan"))
from mvsa_gan.data import scan_voc  # noqa: E402


def find_xml(root):
    """image path -> its XML files (scan_voc merges boxes but does not say where they came from)."""
    by_stem = {}
    for d, _, files in os.walk(root):
        for f in files:
            if f.lower().endswith(".xml"):
                p = os.path.join(d, f)
                stem = os.path.splitext(os.path.basename((ET.parse(p).getroot().findtext("filename") or f).strip()))[0]
                by_stem.setdefault(stem, []).append(p)
    return by_stem


def rare_count(objs, rare):
    return sum(1 for o in objs if o[0] == rare)


def split(ann, rare, rare_train, test_images, min_test_rare, seed):
    """ann {image: boxes} -> (train images, test images)."""
    rng = random.Random(seed)
    images = sorted(ann)
    rng.shuffle(images)
    with_rare = [i for i in images if rare_count(ann[i], rare)]
    test, n_rare = [], 0
    for i in with_rare:
        if n_rare >= min_test_rare or len(test) >= test_images:
            break
        test.append(i)
        n_rare += rare_count(ann[i], rare)
    chosen = set(test)
    test += [i for i in images if i not in chosen][:test_images - len(test)]
    chosen = set(test)
    rest = [i for i in images if i not in chosen]
    train = [i for i in rest if not rare_count(ann[i], rare)]
    n = 0
    for i in sorted((i for i in rest if rare_count(ann[i], rare)), key=lambda i: rare_count(ann[i], rare)):
        if n + rare_count(ann[i], rare) > rare_train:
            continue
        train.append(i)
        n += rare_count(ann[i], rare)
    return sorted(train), sorted(test)


def counts(ann, images):
    c = {}
    for i in images:
        for o in ann[i]:
            c[o[0]] = c.get(o[0], 0) + 1
    return dict(sorted(c.items()))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scenes", action="append", required=True, help="VOC folder (repeatable)")
    ap.add_argument("--rare", required=True)
    ap.add_argument("--rare-train", type=int, default=10, help="rare boxes in the train split, at most")
    ap.add_argument("--test-images", type=int, default=250)
    ap.add_argument("--min-test-rare", type=int, default=60)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", required=True)
    a = ap.parse_args(argv)
    ann, xml_of = {}, {}
    for root in a.scenes:
        ann.update(scan_voc(root))
        xmls = find_xml(root)
        for img in scan_voc(root):
            xml_of[img] = xmls[os.path.splitext(os.path.basename(img))[0]]
    train, test = split(ann, a.rare, a.rare_train, a.test_images, a.min_test_rare, a.seed)
    for name, images in (("train", train), ("test", test)):
        for sub in ("Annotations", "JPEGImages"):
            os.makedirs(os.path.join(a.out, name, sub), exist_ok=True)
        for img in images:
            if os.path.exists(os.path.join(a.out, name, "JPEGImages", os.path.basename(img))):
                sys.exit(f"two scenes named {os.path.basename(img)}: render the folders with distinct names")
            shutil.copy(img, os.path.join(a.out, name, "JPEGImages"))
            for x in xml_of[img]:
                shutil.copy(x, os.path.join(a.out, name, "Annotations"))
    report = {"rare": a.rare, "seed": a.seed, "sources": [os.path.abspath(s) for s in a.scenes],
              "train": {"images": len(train), "boxes": counts(ann, train)},
              "test": {"images": len(test), "boxes": counts(ann, test)}}
    with open(os.path.join(a.out, "split.json"), "w") as f:
        json.dump(report, f, indent=1)
    print(json.dumps(report, indent=1))
    if report["test"]["boxes"].get(a.rare, 0) < a.min_test_rare:
        sys.exit(f"only {report['test']['boxes'].get(a.rare, 0)} rare boxes for the test split: render more scenes")


if __name__ == "__main__":
    main()
