"""Pascal VOC folders -> class-labelled square crops.

Real-world VOC folders are messy: `<filename>` may lack its extension, `<path>` may point to
someone else's disk, and the boxes of one image may be split across several XML files (CPLID).
So images are found by a recursive search and matched to annotations by file stem; when a stem is
ambiguous, the image closest to the XML in the directory tree wins. Boxes are merged per image.
"""
import hashlib
import os
import xml.etree.ElementTree as ET
from collections import defaultdict

import numpy as np
import torch
from PIL import Image

IMAGE_EXTS = (".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff")


def _common_depth(a, b):
    return len(os.path.commonpath([a, b]).split(os.sep))


def scan_voc(root):
    """-> {image_path: [(class, xmin, ymin, xmax, ymax), ...]} merged over every XML file."""
    images_by_stem, xmls = defaultdict(list), []
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            low = f.lower()
            if low.endswith(".xml"):
                xmls.append(p)
            elif low.endswith(IMAGE_EXTS):
                images_by_stem[os.path.splitext(f)[0]].append(p)
    boxes = defaultdict(list)
    for xp in sorted(xmls):
        try:
            tree = ET.parse(xp).getroot()
        except ET.ParseError:
            continue
        fname = (tree.findtext("filename") or "").strip()
        stem = os.path.splitext(os.path.basename(fname))[0] if fname else os.path.splitext(os.path.basename(xp))[0]
        cands = images_by_stem.get(stem) or images_by_stem.get(os.path.splitext(os.path.basename(xp))[0])
        if not cands:
            continue
        img = max(cands, key=lambda c: (_common_depth(os.path.abspath(c), os.path.abspath(xp)), c))
        for obj in tree.findall("object"):
            bb = obj.find("bndbox")
            name = (obj.findtext("name") or "").strip()
            if bb is None or not name:
                continue
            try:
                x0, y0, x1, y1 = (float(bb.findtext(t)) for t in ("xmin", "ymin", "xmax", "ymax"))
            except (TypeError, ValueError):
                continue
            boxes[img].append((name, x0, y0, x1, y1))
    # one image annotated twice with the same box (duplicated XML) -> keep one
    return {k: sorted(set(v)) for k, v in sorted(boxes.items())}


def crop_box(img, box, size, margin):
    """Square crop centred on the box, side (1 + margin) * longest box side; out-of-image area is
    filled by edge replication so the crop is never shifted off its object."""
    x0, y0, x1, y1 = box
    side = max(x1 - x0, y1 - y0) * (1 + margin)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    l, t = int(round(cx - side / 2)), int(round(cy - side / 2))
    s = max(1, int(round(side)))
    arr = np.asarray(img)
    h, w = arr.shape[:2]
    ys = np.clip(np.arange(t, t + s), 0, h - 1)
    xs = np.clip(np.arange(l, l + s), 0, w - 1)
    return np.asarray(Image.fromarray(arr[ys][:, xs]).resize((size, size), Image.BICUBIC))


def is_test_image(path, fraction, root):
    """Stable image-level split: a hash of the path relative to the dataset root."""
    h = hashlib.sha1(os.path.relpath(path, root).encode()).hexdigest()
    return int(h[:8], 16) / 0xFFFFFFFF < fraction


class CropPool:
    """All crops of a dataset in memory: images uint8 [N, 3, S, S], labels, class names, split."""

    def __init__(self, images, labels, classes, is_test, sources):
        self.images, self.labels, self.classes = images, labels, classes
        self.is_test, self.sources = is_test, sources

    def __len__(self):
        return len(self.labels)

    def indices(self, cls, test=False):
        c = self.classes.index(cls) if isinstance(cls, str) else cls
        return np.nonzero((self.labels == c) & (self.is_test == test))[0]

    def tensor(self, idx):
        """float [-1, 1] tensor of the crops at idx."""
        return torch.from_numpy(self.images[np.asarray(idx)]).float().div(127.5).sub(1.0)

    def counts(self):
        return {c: {"train": int(len(self.indices(c))), "test": int(len(self.indices(c, True)))}
                for c in self.classes}


def load_pool(root, size=64, margin=0.25, min_box=8, test_fraction=0.2, classes=None, cache_dir=None):
    root = os.path.abspath(root)
    key = hashlib.sha1(f"{root}|{size}|{margin}|{min_box}|{test_fraction}|{sorted(classes or [])}".encode()).hexdigest()[:12]
    cache = os.path.join(cache_dir, f"crops-{key}.npz") if cache_dir else None
    if cache and os.path.exists(cache):
        z = np.load(cache, allow_pickle=False)
        return CropPool(z["images"], z["labels"], [str(c) for c in z["classes"]], z["is_test"],
                        [str(s) for s in z["sources"]])
    ann = scan_voc(root)
    names = sorted({b[0] for v in ann.values() for b in v})
    if classes:
        names = [c for c in names if c in set(classes)]
    imgs, labels, test, sources = [], [], [], []
    for path, boxes in ann.items():
        boxes = [b for b in boxes if b[0] in names and max(b[3] - b[1], b[4] - b[2]) >= min_box]
        if not boxes:
            continue
        im = Image.open(path).convert("RGB")
        held = is_test_image(path, test_fraction, root)
        for name, *box in boxes:
            imgs.append(crop_box(im, box, size, margin).transpose(2, 0, 1))
            labels.append(names.index(name))
            test.append(held)
            sources.append(os.path.relpath(path, root))
    if not imgs:
        raise ValueError(f"no annotated boxes found under {root}")
    pool = CropPool(np.stack(imgs), np.asarray(labels), names, np.asarray(test), sources)
    if cache:
        os.makedirs(cache_dir, exist_ok=True)
        np.savez(cache, images=pool.images, labels=pool.labels, classes=np.asarray(names),
                 is_test=pool.is_test, sources=np.asarray(sources))
    return pool


def pool_from_config(root, dcfg):
    return load_pool(root, dcfg["image_size"], dcfg["margin"], dcfg["min_box"], dcfg["test_fraction"],
                     dcfg.get("classes") or None, dcfg.get("cache_dir"))


class EpisodeSampler:
    """LoFGAN episodes: each item is K crops of one seen class (train split) and its label."""

    def __init__(self, pool, seen_classes, k):
        self.pool, self.k = pool, k
        self.seen = [c for c in seen_classes if len(pool.indices(c)) > 0]
        if not self.seen:
            raise ValueError("no seen class has training crops")
        self.idx = [pool.indices(c) for c in self.seen]

    def sample(self, batch, gen):
        labels = torch.randint(len(self.seen), (batch,), generator=gen)
        picks = []
        for lab in labels.tolist():
            cand = self.idx[lab]
            sel = torch.randperm(len(cand), generator=gen)[:self.k] if len(cand) >= self.k \
                else torch.randint(len(cand), (self.k,), generator=gen)
            picks.append(cand[sel.numpy()])
        imgs = self.pool.tensor(np.concatenate(picks)).reshape(batch, self.k, *self.pool.images.shape[1:])
        return imgs, labels


def seen_unseen(pool, dcfg):
    unseen = [c for c in dcfg.get("unseen_classes") or [] if c in pool.classes]
    return [c for c in pool.classes if c not in unseen], unseen
