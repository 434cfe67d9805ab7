"""Full scenes from Pascal VOC folders, resized to the detector's input, kept in memory.

The VOC reading (recursive search, extension-less <filename>, boxes split over several XML files)
is mvsa-gan's, so a folder that the generator can read, the detector can read too. Images are
identified by the sha1 of their bytes: an exported fill folder may also contain the real images of
the dataset (counted once) and must never contain a held-out test image (refused)."""
import hashlib
import os
import sys

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "packages", "mvsa-gan"))
from mvsa_gan.data import scan_voc  # noqa: E402


def file_sha1(path):
    with open(path, "rb") as f:
        return hashlib.sha1(f.read()).hexdigest()


class Scenes:
    """images uint8 [N, 3, H, W]; boxes[i] float [M, 4] (x1, y1, x2, y2 in resized pixels);
    labels[i] int64 [M] indices into classes; sha1[i] of the source file."""

    def __init__(self, images, boxes, labels, classes, sha1, paths):
        self.images, self.boxes, self.labels = images, boxes, labels
        self.classes, self.sha1, self.paths = classes, sha1, paths

    def __len__(self):
        return len(self.images)

    def instances(self):
        """boxes per class name."""
        counts = np.bincount(np.concatenate([lab.numpy() for lab in self.labels] or [np.zeros(0, int)]),
                             minlength=len(self.classes))
        return {c: int(n) for c, n in zip(self.classes, counts)}

    def concat(self, other):
        """self + the images of other that self does not hold already (by content)."""
        seen = set(self.sha1)
        keep = [i for i, h in enumerate(other.sha1) if h not in seen]
        return Scenes(np.concatenate([self.images, other.images[keep]]) if keep else self.images,
                      self.boxes + [other.boxes[i] for i in keep], self.labels + [other.labels[i] for i in keep],
                      self.classes, self.sha1 + [other.sha1[i] for i in keep], self.paths + [other.paths[i] for i in keep])


def load_scenes(root, classes, width, height):
    """Every annotated image under root. Boxes of classes not in `classes` are dropped (their
    objects stay in the image, unlabelled; callers pass the full class list to avoid that)."""
    ann = scan_voc(root)
    images, boxes, labels, sha1, paths = [], [], [], [], []
    for path, objs in ann.items():
        im = Image.open(path).convert("RGB")
        sx, sy = width / im.width, height / im.height
        bb = [(classes.index(n), x0 * sx, y0 * sy, x1 * sx, y1 * sy) for n, x0, y0, x1, y1 in objs if n in classes]
        images.append(np.asarray(im.resize((width, height), Image.BILINEAR)).transpose(2, 0, 1))
        boxes.append(torch.tensor([b[1:] for b in bb], dtype=torch.float32).reshape(-1, 4))
        labels.append(torch.tensor([b[0] for b in bb], dtype=torch.int64))
        sha1.append(file_sha1(path))
        paths.append(path)
    if not images:
        raise ValueError(f"no annotated images under {root}")
    return Scenes(np.stack(images), boxes, labels, classes, sha1, paths)


def class_names(*roots):
    """Sorted union of the class names annotated under the given folders."""
    return sorted({b[0] for r in roots for objs in scan_voc(r).values() for b in objs})
